import type { Snapshot, SnapshotStore } from "./snapshot-store.ts";

/** A `SnapshotStore` in memory. It keeps the latest snapshot of each run, copied on the way in and out. */
export class MemorySnapshotStore<S = unknown> implements SnapshotStore<S> {
  readonly #latest = new Map<string, { atSeq: number; text: string }>();

  async loadLatest(runId: string): Promise<Snapshot<S> | undefined> {
    const latest = this.#latest.get(runId);
    return latest === undefined ? undefined : (JSON.parse(latest.text) as Snapshot<S>);
  }

  async save(snapshot: Snapshot<S>): Promise<void> {
    this.saveSync(snapshot);
  }

  /** The synchronous form of `save`: an older snapshot than the one kept is ignored. */
  saveSync(snapshot: Snapshot<S>): void {
    const current = this.#latest.get(snapshot.runId);
    if (current !== undefined && current.atSeq > snapshot.atSeq) return;
    this.#latest.set(snapshot.runId, { atSeq: snapshot.atSeq, text: JSON.stringify(snapshot) });
  }
}
