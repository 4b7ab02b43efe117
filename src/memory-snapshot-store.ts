import type { Snapshot, SnapshotStore } from "./snapshot-store.ts";

/** A `SnapshotStore` in memory. It keeps the latest snapshot of each run, copied on the way in and out. */
export class MemorySnapshotStore<S = unknown> implements SnapshotStore<S> {
  readonly #latest = new Map<string, string>();
  readonly #atSeq = new Map<string, number>();

  async loadLatest(runId: string): Promise<Snapshot<S> | undefined> {
    const text = this.#latest.get(runId);
    return text === undefined ? undefined : (JSON.parse(text) as Snapshot<S>);
  }

  async save(snapshot: Snapshot<S>): Promise<void> {
    const current = this.#atSeq.get(snapshot.runId);
    if (current !== undefined && current > snapshot.atSeq) return;
    this.#latest.set(snapshot.runId, JSON.stringify(snapshot));
    this.#atSeq.set(snapshot.runId, snapshot.atSeq);
  }
}
