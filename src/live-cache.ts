/**
 * One run's slot in a live cache: where a step keeps what it can reuse at the run's next decision
 * (a workflow's running continuation). Anything kept is a cache: it may be gone at any call.
 */
export interface LiveSlot {
  get(): unknown;
  set(value: unknown): void;
  clear(): void;
}

/**
 * Per-run slots, least recently used first out past `max`. A kernel owns one, so two kernels (two
 * hosts, two stores) never share what they keep for runs of the same id.
 */
export class LiveCache {
  readonly max: number;
  readonly #values = new Map<string, unknown>();

  constructor(max: number) {
    this.max = Math.max(0, max);
  }

  /** The slot of a run; reading it marks the run as recently used. */
  slot(runId: string): LiveSlot {
    return {
      get: () => {
        const value = this.#values.get(runId);
        if (value === undefined) return undefined;
        this.#values.delete(runId);
        this.#values.set(runId, value);
        return value;
      },
      set: (value) => {
        this.#values.delete(runId);
        if (this.max === 0) return;
        this.#values.set(runId, value);
        if (this.#values.size > this.max) {
          const oldest = this.#values.keys().next().value;
          if (oldest !== undefined) this.#values.delete(oldest);
        }
      },
      clear: () => {
        this.#values.delete(runId);
      },
    };
  }

  /** Drops what is kept for a run. */
  delete(runId: string): void {
    this.#values.delete(runId);
  }

  /** How many runs have something kept. */
  get size(): number {
    return this.#values.size;
  }
}
