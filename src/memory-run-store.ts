import { ConcurrencyError } from "./errors.ts";
import type { AppendOptions, HostStore } from "./event-store.ts";
import type { SequencedEvent } from "./events.ts";
import {
  encodeCursor,
  listsBefore,
  parseCursor,
  type RunPage,
  type RunQuery,
  type RunSummary,
} from "./run-index.ts";
import type { Snapshot } from "./snapshot-store.ts";
import { assertAppendable } from "./validate-append.ts";

/**
 * Events, snapshots and the run index in memory, committed together: the store of the memory
 * host in Node and in the browser. Nothing survives the process.
 */
export class MemoryRunStore implements HostStore {
  readonly #logs = new Map<string, SequencedEvent[]>();
  readonly #snapshots = new Map<string, string>();
  readonly #summaries = new Map<string, RunSummary>();

  async append(
    runId: string,
    events: readonly SequencedEvent[],
    options: AppendOptions,
  ): Promise<void> {
    assertAppendable(runId, events, options.expectedHead, options);
    const log = this.#logs.get(runId);
    const head = log?.length ?? 0;
    if (options.expectedHead !== head)
      throw new ConcurrencyError(runId, options.expectedHead, head);
    if (events.length === 0) return;
    const current = options.snapshot ? await this.loadLatest(runId) : undefined;
    const keep = options.snapshot && (!current || current.atSeq <= options.snapshot.atSeq);
    const snapshot = keep ? JSON.stringify(options.snapshot) : undefined;
    if (log) for (const se of events) log.push(se);
    else this.#logs.set(runId, events.slice());
    if (snapshot !== undefined) this.#snapshots.set(runId, snapshot);
    if (options.summary) this.#summaries.set(runId, { ...options.summary });
  }

  async read(
    runId: string,
    fromSeq = 1,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<SequencedEvent[]> {
    const log = this.#logs.get(runId);
    if (!log) return [];
    const start = Math.max(0, fromSeq - 1);
    return log.slice(start, Number.isFinite(limit) ? start + Math.max(0, limit) : log.length);
  }

  async head(runId: string): Promise<number> {
    return this.#logs.get(runId)?.length ?? 0;
  }

  async loadLatest(runId: string): Promise<Snapshot | undefined> {
    const text = this.#snapshots.get(runId);
    return text === undefined ? undefined : (JSON.parse(text) as Snapshot);
  }

  async save(snapshot: Snapshot): Promise<void> {
    const current = await this.loadLatest(snapshot.runId);
    if (current && current.atSeq > snapshot.atSeq) return;
    this.#snapshots.set(snapshot.runId, JSON.stringify(snapshot));
  }

  async getRun(runId: string): Promise<RunSummary | undefined> {
    const summary = this.#summaries.get(runId);
    return summary ? { ...summary } : undefined;
  }

  async listRuns(query: RunQuery = {}): Promise<RunPage> {
    const limit = Math.max(1, Math.min(query.limit ?? 50, 1000));
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
