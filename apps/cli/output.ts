import type { Json } from "../../src/index.ts";

/** Where a command writes: stdout for results, stderr for messages; colors only on a terminal. */
export interface Streams {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

const CODES = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  gray: 90,
  bold: 1,
  dim: 2,
} as const;
export type Color = keyof typeof CODES;

/** What a command prints through: `--json` results, human tables, colors when they can be seen. */
export class Output {
  readonly json: boolean;
  readonly color: boolean;
  readonly streams: Streams;

  constructor(streams: Streams, options: { json: boolean; color: boolean }) {
    this.streams = streams;
    this.json = options.json;
    this.color = options.color;
  }

  /** `text` in a color (or as it is when colors are off). */
  paint(color: Color, text: string): string {
    return this.color ? `\x1b[${CODES[color]}m${text}\x1b[0m` : text;
  }

  /** A line on stdout. */
  line(text = ""): void {
    this.streams.stdout.write(`${text}\n`);
  }

  /** A value as pretty JSON on stdout: the `--json` result. */
  data(value: unknown): void {
    this.streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A message on stderr. */
  note(text: string): void {
    this.streams.stderr.write(`${text}\n`);
  }

  /** A status word colored by what it means. */
  status(status: string): string {
    const color: Color =
      status === "completed"
        ? "green"
        : status === "failed"
          ? "red"
          : status === "cancelled"
            ? "gray"
            : status === "running"
              ? "blue"
              : "yellow";
    return this.paint(color, status);
  }

  /** Rows as columns aligned by their visible width, with a dim header. */
  table(header: string[], rows: string[][]): void {
    const widths = header.map((h, i) =>
      Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ""))),
    );
    const fmt = (cells: string[]) =>
      cells
        .map((cell, i) =>
          i === cells.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visible(cell)),
        )
        .join("  ")
        .trimEnd();
    this.line(this.paint("dim", fmt(header)));
    for (const row of rows) this.line(fmt(row));
  }

  /** `label  value` lines with the labels aligned. */
  fields(pairs: [string, string | undefined][]): void {
    const shown = pairs.filter((p): p is [string, string] => p[1] !== undefined);
    const width = Math.max(...shown.map(([k]) => k.length));
    for (const [k, v] of shown) this.line(`${this.paint("dim", k.padEnd(width))}  ${v}`);
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI color sequences are what it removes.
const ANSI = /\x1b\[[0-9;]*m/g;

/** The width of a string as a terminal shows it (without color codes). */
export function visible(text: string): number {
  return [...text.replace(ANSI, "")].length;
}

/** `text` cut to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}

/** A compact one-line JSON rendering. */
export function oneLine(value: Json | unknown): string {
  return value === undefined ? "" : JSON.stringify(value);
}

/** A time as `2025-01-31 12:34:56`, local time. */
export function clock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** How long ago `ms` was, in words a person reads at a glance ("12s ago", "3h ago"). */
export function ago(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

/** A duration in ms as `850ms`, `1.5s`, `2m 5s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m ${Math.round((ms % 60_000) / 1000)}s`;
}
