import type { RunPage, RunQuery, RunSummary, SequencedEvent } from "runlog";
import type { AppendOptions, HostStore, Snapshot } from "runlog/store-kit";

/** A host store that records every run id any call was given: what "before any store" means. */
export class SpyStore implements HostStore {
  readonly ids = new Set<string>();
  constructor(readonly inner: HostStore) {}
  #see(runId: string): void {
    this.ids.add(runId);
  }
  append(runId: string, events: readonly SequencedEvent[], options: AppendOptions): Promise<void> {
    this.#see(runId);
    return this.inner.append(runId, events, options);
  }
  read(runId: string, fromSeq?: number, limit?: number): Promise<SequencedEvent[]> {
    this.#see(runId);
    return this.inner.read(runId, fromSeq, limit);
  }
  head(runId: string): Promise<number> {
    this.#see(runId);
    return this.inner.head(runId);
  }
  loadLatest(runId: string): Promise<Snapshot | undefined> {
    this.#see(runId);
    return this.inner.loadLatest(runId);
  }
  save(snapshot: Snapshot): Promise<void> {
    this.#see(snapshot.runId);
    return this.inner.save(snapshot);
  }
  getRun(runId: string): Promise<RunSummary | undefined> {
    this.#see(runId);
    return this.inner.getRun(runId);
  }
  listRuns(query?: RunQuery): Promise<RunPage> {
    return this.inner.listRuns(query);
  }
  wakingRuns(limit?: number): Promise<RunSummary[]> {
    return this.inner.wakingRuns(limit);
  }
}
