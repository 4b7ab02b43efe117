import type { EventStore } from "./event-store.ts";
import { applyAll, type LoadedRun, type RestoreOptions, restoreRun } from "./restore.ts";

/**
 * The runs a kernel holds in memory, checked against the store's head at each load: a run another
 * writer moved is caught up from its new events (or restored again). Least recently used first
 * out past `max`.
 */
export class RunCache<S> {
  readonly max: number;
  readonly #runs = new Map<string, LoadedRun<S>>();
  readonly #restore: RestoreOptions<S>;
  readonly #dropped: (runId: string) => void;

  constructor(max: number, restore: RestoreOptions<S>, dropped: (runId: string) => void) {
    this.max = Math.max(1, max);
    this.#restore = restore;
    this.#dropped = dropped;
  }

  get events(): EventStore {
    return this.#restore.events;
  }

  /** The run held in memory, if any, without touching the store. */
  peek(runId: string): LoadedRun<S> | undefined {
    return this.#runs.get(runId);
  }

  /** A fresh restore from the store, not kept. */
  restore(runId: string, initialState: S): Promise<LoadedRun<S>> {
    return restoreRun(runId, initialState, this.#restore);
  }

  /** The run, current with the store's head: one head read when it is held and current. */
  async load(runId: string, initialState: S): Promise<LoadedRun<S>> {
    const cached = this.#runs.get(runId);
    if (cached) {
      const head = await this.events.head(runId);
      if (head > cached.meta.head) {
        applyAll(
          cached,
          await this.events.read(runId, cached.meta.head + 1),
          this.#restore.reducer,
        );
      }
      if (head === cached.meta.head) {
        this.#runs.delete(runId);
        this.#runs.set(runId, cached);
        return cached;
      }
      this.drop(runId);
    }
    const run = await restoreRun(runId, initialState, this.#restore);
    this.keep(runId, run);
    return run;
  }

  /** Holds the run as the current copy. */
  keep(runId: string, run: LoadedRun<S>): void {
    this.#runs.delete(runId);
    this.#runs.set(runId, run);
    while (this.#runs.size > this.max) {
      const oldest = this.#runs.keys().next().value as string;
      if (oldest === runId) break;
      this.drop(oldest);
    }
  }

  /** Forgets the run; the next load restores it from the store. */
  drop(runId: string): void {
    this.#runs.delete(runId);
    this.#dropped(runId);
  }
}
