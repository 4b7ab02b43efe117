import type { AppendOptions, HostStore } from "../event-store.ts";
import type { SequencedEvent } from "../events.ts";
import type { RunPage, RunQuery, RunSummary } from "../run-index.ts";
import { findSignalSeq } from "../signal-dedupe.ts";
import type { Snapshot } from "../snapshot-store.ts";

/** Hears every batch committed through an `ObservedStore`. */
export type CommitListener = (runId: string, events: readonly SequencedEvent[]) => void;

/**
 * A host store that tells listeners of each committed batch, after the commit succeeded: how
 * `watch` and other tabs learn of new events without polling.
 */
export class ObservedStore implements HostStore {
  readonly inner: HostStore;
  readonly #listeners = new Map<string, Set<CommitListener>>();
  readonly #all = new Set<CommitListener>();

  constructor(inner: HostStore) {
    this.inner = inner;
  }

  /** Listens to one run's commits (or every run's with `"*"`); returns the way to stop. */
  subscribe(runId: string, listener: CommitListener): () => void {
    if (runId === "*") {
      this.#all.add(listener);
      return () => this.#all.delete(listener);
    }
    const set = this.#listeners.get(runId) ?? new Set();
    set.add(listener);
    this.#listeners.set(runId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(runId);
    };
  }

  /** Tells listeners of a batch committed elsewhere (another tab, another process). */
  publish(runId: string, events: readonly SequencedEvent[]): void {
    for (const listener of [...(this.#listeners.get(runId) ?? []), ...this.#all]) {
      try {
        listener(runId, events);
      } catch {
        // A listener's failure must not fail the commit that already happened.
      }
    }
  }

  async append(
    runId: string,
    events: readonly SequencedEvent[],
    options: AppendOptions,
  ): Promise<void> {
    await this.inner.append(runId, events, options);
    if (events.length > 0) this.publish(runId, events);
  }
  read(runId: string, fromSeq?: number, limit?: number): Promise<SequencedEvent[]> {
    return this.inner.read(runId, fromSeq, limit);
  }
  head(runId: string): Promise<number> {
    return this.inner.head(runId);
  }
  signalSeq(runId: string, signalId: string): Promise<number | undefined> {
    return findSignalSeq(this.inner, runId, signalId);
  }
  loadLatest(runId: string): Promise<Snapshot | undefined> {
    return this.inner.loadLatest(runId);
  }
  save(snapshot: Snapshot): Promise<void> {
    return this.inner.save(snapshot);
  }
  getRun(runId: string): Promise<RunSummary | undefined> {
    return this.inner.getRun(runId);
  }
  listRuns(query?: RunQuery): Promise<RunPage> {
    return this.inner.listRuns(query);
  }
  wakingRuns(limit?: number): Promise<RunSummary[]> {
    return this.inner.wakingRuns(limit);
  }
}
