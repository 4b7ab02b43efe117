import type { AppendOptions, HostStore } from "./event-store.ts";
import type { SequencedEvent } from "./events.ts";
import { MemoryEventStore } from "./memory-event-store.ts";
import { MemorySnapshotStore } from "./memory-snapshot-store.ts";
import {
  encodeCursor,
  listsBefore,
  parseCursor,
  type RunPage,
  type RunQuery,
  type RunSummary,
} from "./run-index.ts";
import { listLimit } from "./run-summary-row.ts";
import type { Snapshot } from "./snapshot-store.ts";
import { assertAppendable } from "./validate-append.ts";

/**
 * Events, snapshots and the run index in memory, committed together: the store of the memory
 * host in Node and in the browser. Nothing survives the process.
 */
export class MemoryRunStore implements HostStore {
  readonly #events = new MemoryEventStore();
  readonly #snapshots = new MemorySnapshotStore();
  readonly #summaries = new Map<string, RunSummary>();

  /** Events, the snapshot and the summary, all or none: every step here is synchronous. */
  async append(
    runId: string,
    events: readonly SequencedEvent[],
    options: AppendOptions,
  ): Promise<void> {
    assertAppendable(runId, events, options.expectedHead, options);
    this.#events.appendSync(runId, events, options);
    if (events.length === 0) return;
    if (options.snapshot) this.#snapshots.saveSync(options.snapshot);
    if (options.summary) this.#summaries.set(runId, { ...options.summary });
  }

  read(runId: string, fromSeq?: number, limit?: number): Promise<SequencedEvent[]> {
    return this.#events.read(runId, fromSeq, limit);
  }

  head(runId: string): Promise<number> {
    return this.#events.head(runId);
  }

  signalSeq(runId: string, signalId: string): Promise<number | undefined> {
    return this.#events.signalSeq(runId, signalId);
  }

  loadLatest(runId: string): Promise<Snapshot | undefined> {
    return this.#snapshots.loadLatest(runId);
  }

  save(snapshot: Snapshot): Promise<void> {
    return this.#snapshots.save(snapshot);
  }

  async getRun(runId: string): Promise<RunSummary | undefined> {
    const summary = this.#summaries.get(runId);
    return summary ? { ...summary } : undefined;
  }

  async listRuns(query: RunQuery = {}): Promise<RunPage> {
    const limit = listLimit(query.limit);
    const after = parseCursor(query.cursor);
    const all = [...this.#summaries.values()]
      .filter((s) => query.status === undefined || s.status === query.status)
      .filter((s) => after === undefined || listsBefore(after, s))
      .sort((a, b) => (listsBefore(a, b) ? -1 : 1));
    const runs = all.slice(0, limit).map((s) => ({ ...s }));
    const last = runs[runs.length - 1];
    return all.length > limit && last ? { runs, nextCursor: encodeCursor(last) } : { runs };
  }

  async wakingRuns(limit = 1000): Promise<RunSummary[]> {
    return [...this.#summaries.values()]
      .filter((s) => s.wakeAt !== undefined)
      .sort((a, b) => (a.wakeAt ?? 0) - (b.wakeAt ?? 0))
      .slice(0, limit)
      .map((s) => ({ ...s }));
  }
}
