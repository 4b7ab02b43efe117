/** A stream a progress line goes to. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * One line of live progress on stderr, rewritten in place (at most every 80 ms) and cleared when
 * done. Silent when stderr is not a terminal, so scripts and logs see only results.
 */
export class Progress {
  readonly #stream: ProgressStream;
  readonly #on: boolean;
  #last = 0;
  #shown = false;
  readonly #started = Date.now();

  constructor(stream: ProgressStream, enabled = Boolean(stream.isTTY)) {
    this.#stream = stream;
    this.#on = enabled;
  }

  /** Shows `text`; `force` skips the throttle (for a phase change). */
  update(text: string, force = false): void {
    if (!this.#on) return;
    const now = Date.now();
    if (!force && now - this.#last < 80) return;
    this.#last = now;
    const elapsed = ((now - this.#started) / 1000).toFixed(1);
    const columns = (this.#stream as { columns?: number }).columns || 100;
    const line = `${text} · ${elapsed}s`.slice(0, Math.max(20, columns - 1));
    this.#stream.write(`\r\x1b[2K${line}`);
    this.#shown = true;
  }

  /** `done` of `total` as a count and a percentage. */
  count(label: string, done: number, total: number): void {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    this.update(
      `${label} ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} (${pct}%)`,
      done === total,
    );
  }

  /** Clears the line. */
  done(): void {
    if (this.#shown) this.#stream.write("\r\x1b[2K");
    this.#shown = false;
  }
}
