import {
  parseCursor,
  encodeCursor,
  type RunIndex,
  type RunPage,
  type RunQuery,
  type RunSummary,
} from "../../src/index.ts";
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

type RunRow = {
  run_id: string;
  workflow: string | null;
  version: number | null;
  status: string;
  waiting_on: string | null;
  wake_at: number | null;
  head: number;
  created_at: number;
  updated_at: number;
};

const COLUMNS = `run_id, workflow, version, status, waiting_on, wake_at, head, created_at, updated_at`;

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
      `INSERT OR REPLACE INTO runlog_runs (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      summary.runId,
      summary.workflow ?? null,
      summary.version ?? null,
      summary.status,
      summary.waitingOn ?? null,
      summary.wakeAt ?? null,
      summary.head,
      summary.createdAt,
      summary.updatedAt,
    );
  }

  async getRun(runId: string): Promise<RunSummary | undefined> {
    const row = this.#sql
      .exec<RunRow>(`SELECT ${COLUMNS} FROM runlog_runs WHERE run_id = ?`, runId)
      .toArray()[0];
    return row === undefined ? undefined : toSummary(row);
  }

  /** Newest first by `createdAt`, then `runId` descending; `limit` 50 by default, at most 1000. */
  async listRuns(query: RunQuery = {}): Promise<RunPage> {
    const limit = clampLimit(query.limit);
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
    const runs = rows.slice(0, limit).map(toSummary);
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
      .map(toSummary);
  }
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return 50;
  return Math.max(1, Math.min(Math.floor(limit), 1000));
}

function toSummary(row: RunRow): RunSummary {
  const summary: RunSummary = {
    runId: row.run_id,
    status: row.status as RunSummary["status"],
    head: row.head,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.workflow !== null) summary.workflow = row.workflow;
  if (row.version !== null) summary.version = row.version;
  if (row.waiting_on !== null)
    summary.waitingOn = row.waiting_on as NonNullable<RunSummary["waitingOn"]>;
  if (row.wake_at !== null) summary.wakeAt = row.wake_at;
  return summary;
}
