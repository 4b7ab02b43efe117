import type { RunSummary } from "../../src/index.ts";
import { migrateSchema } from "./schema.ts";
import { SqlRunIndex } from "./sql-run-index.ts";
import type { DurableObjectStorageLike } from "./sql-storage.ts";

/** The reporter's own table, behind its own schema version (key `reporter_schema_version`). */
export const REPORTER_MIGRATIONS: readonly (readonly string[])[] = [
  [`CREATE TABLE runlog_reported (run_id TEXT PRIMARY KEY, head INTEGER NOT NULL)`],
];

/** The first retry of a failed report, doubled on each failure up to `REPORT_RETRY_MAX_MS`. */
export const REPORT_RETRY_MS = 5_000;
export const REPORT_RETRY_MAX_MS = 10 * 60_000;

/**
 * Tells a run index of the summaries in a Durable Object's own `runlog_runs`, and remembers in its
 * storage the head the index last acknowledged for each run. A report that is lost (the index
 * unreachable, the object evicted before it was sent) leaves the run "behind": the next commit,
 * the object's alarm (`retryAt()` keeps one set while anything is behind) or any `flush()` sends
 * the current summary again. Summaries carry `head`, so the index keeps the newest one whatever
 * order they arrive in.
 */
export class IndexReporter {
  readonly #storage: DurableObjectStorageLike;
  readonly #send: (summary: RunSummary) => Promise<void>;
  readonly #runs: SqlRunIndex;
  #flushing: Promise<boolean> | undefined;
  #again = false;
  #failures = 0;
  #lastFailure = 0;

  /** Creates or migrates the reporter's table; construct it in the object's constructor. */
  constructor(storage: DurableObjectStorageLike, send: (summary: RunSummary) => Promise<void>) {
    this.#storage = storage;
    this.#send = send;
    this.#runs = new SqlRunIndex(storage.sql);
    migrateSchema(storage, REPORTER_MIGRATIONS, "reporter_schema_version");
  }

  /** The runs whose latest commit the index has not acknowledged. */
  behind(): string[] {
    return this.#storage.sql
      .exec<{ run_id: string }>(
        `SELECT r.run_id FROM runlog_runs r LEFT JOIN runlog_reported p ON p.run_id = r.run_id
         WHERE p.head IS NULL OR p.head < r.head ORDER BY r.run_id`,
      )
      .toArray()
      .map((row) => row.run_id);
  }

  /** The head the index acknowledged for the run, 0 when none. */
  reportedHead(runId: string): number {
    const row = this.#storage.sql
      .exec<{ head: number }>(`SELECT head FROM runlog_reported WHERE run_id = ?`, runId)
      .toArray()[0];
    return row?.head ?? 0;
  }

  /** When the alarm should try again (`undefined` when nothing is behind), measured from `now`. */
  retryAt(now: number): number | undefined {
    if (this.behind().length === 0) return undefined;
    if (this.#failures === 0) return now + REPORT_RETRY_MS;
    const backoff = Math.min(REPORT_RETRY_MAX_MS, REPORT_RETRY_MS * 2 ** (this.#failures - 1));
    return Math.max(now, this.#lastFailure + backoff);
  }

  /**
   * Sends the summary of every run that is behind; one flush at a time, and a call during a flush
   * makes it go round again. Resolves to false when a report failed (it stays behind).
   */
  flush(now = Date.now()): Promise<boolean> {
    if (this.#flushing) {
      this.#again = true;
      return this.#flushing;
    }
    const flushing = this.#flushAll(now).finally(() => {
      this.#flushing = undefined;
    });
    this.#flushing = flushing;
    return flushing;
  }

  async #flushAll(now: number): Promise<boolean> {
    try {
      do {
        this.#again = false;
        for (const runId of this.behind()) {
          const summary = await this.#runs.getRun(runId);
          if (summary === undefined) continue;
          await this.#send(summary);
          this.#storage.sql.exec(
            `INSERT INTO runlog_reported (run_id, head) VALUES (?, ?)
             ON CONFLICT (run_id) DO UPDATE SET head = max(head, excluded.head)`,
            runId,
            summary.head,
          );
        }
      } while (this.#again);
      this.#failures = 0;
      return true;
    } catch {
      this.#failures += 1;
      this.#lastFailure = now;
      return false;
    }
  }
}
