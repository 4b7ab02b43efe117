import type { RunPage, RunQuery, RunSummary } from "../../src/index.ts";
import {
  encodeCursor,
  listLimit,
  parseCursor,
  RUN_SUMMARY_COLUMNS,
  type RunIndex,
  type RunSummaryRow,
  rowToSummary,
  rowValues,
  summaryToRow,
} from "../../src/store-kit/index.ts";
import type { SqlStorageLike } from "./sql-storage.ts";

/**
 * The runs table and its indexes, as version 1 of a schema creates them. A store's migrations
 * include these statements; they are never edited, later changes are new migration steps.
 */
export const RUNS_TABLE_V1: readonly string[] = [
  `CREATE TABLE runlog_runs (
    run_id TEXT PRIMARY KEY, workflow TEXT, version INTEGER,
    status TEXT NOT NULL, waiting_on TEXT, wake_at INTEGER,
    head INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
  `CREATE INDEX runlog_runs_by_created ON runlog_runs (created_at DESC, run_id DESC)`,
  `CREATE INDEX runlog_runs_by_status ON runlog_runs (status, created_at DESC, run_id DESC)`,
  `CREATE INDEX runlog_runs_by_wake ON runlog_runs (wake_at) WHERE wake_at IS NOT NULL`,
];

type RunRow = RunSummaryRow;

const COLUMNS = RUN_SUMMARY_COLUMNS;

/**
 * The run index over a `runlog_runs` table (see `RUNS_TABLE_V1`): `put` writes a summary inside
 * the caller's transaction; the reads keep MemoryRunStore's order, filters and cursors.
 */
export class SqlRunIndex implements RunIndex {
  readonly #sql: SqlStorageLike;

  constructor(sql: SqlStorageLike) {
    this.#sql = sql;
  }

  /** Replaces the summary of `summary.runId`. Synchronous, so it joins a `transactionSync`. */
  put(summary: RunSummary): void {
    this.#sql.exec(
      // An upsert that leaves created_at alone: rewriting it would rewrite two index entries
      // on every commit, and a run's creation time never changes.
      `INSERT INTO runlog_runs (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET workflow = excluded.workflow, version = excluded.version,
         status = excluded.status, waiting_on = excluded.waiting_on, wake_at = excluded.wake_at,
         head = excluded.head, updated_at = excluded.updated_at`,
      ...rowValues(summaryToRow(summary.runId, summary)),
    );
  }

  async getRun(runId: string): Promise<RunSummary | undefined> {
    const row = this.#sql
      .exec<RunRow>(`SELECT ${COLUMNS} FROM runlog_runs WHERE run_id = ?`, runId)
      .toArray()[0];
    return row === undefined ? undefined : rowToSummary(row);
  }

  /** Newest first by `createdAt`, then `runId` descending; `limit` 50 by default, at most 1000. */
  async listRuns(query: RunQuery = {}): Promise<RunPage> {
    const limit = listLimit(query.limit);
    const after = parseCursor(query.cursor);
    const where: string[] = [];
    const bindings: (string | number)[] = [];
    if (query.status !== undefined) {
      where.push(`status = ?`);
      bindings.push(query.status);
    }
    if (after !== undefined) {
      where.push(`(created_at, run_id) < (?, ?)`);
      bindings.push(after.createdAt, after.runId);
    }
    const rows = this.#sql
      .exec<RunRow>(
        `SELECT ${COLUMNS} FROM runlog_runs ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
         ORDER BY created_at DESC, run_id DESC LIMIT ?`,
        ...bindings,
        limit + 1,
      )
      .toArray();
    const runs = rows.slice(0, limit).map(rowToSummary);
    const last = runs[runs.length - 1];
    return rows.length > limit && last ? { runs, nextCursor: encodeCursor(last) } : { runs };
  }

  /** The runs with a `wakeAt`, soonest first; at most `limit` (default 1000). */
  async wakingRuns(limit = 1000): Promise<RunSummary[]> {
    return this.#sql
      .exec<RunRow>(
        `SELECT ${COLUMNS} FROM runlog_runs WHERE wake_at IS NOT NULL ORDER BY wake_at, run_id LIMIT ?`,
        Number.isNaN(limit)
          ? 1000
          : limit === Number.POSITIVE_INFINITY
            ? -1
            : Math.max(0, Math.floor(limit)),
      )
      .toArray()
      .map(rowToSummary);
  }
}
