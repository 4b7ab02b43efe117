import type { Statements } from "./sqlite-statements.ts";

/** How many event keys one statement of a poll reads at most. */
const PAGE = 1000;

/**
 * Tells the commits of other connections to one SQLite file (another process, or another store
 * in this one) from this connection's own. SQLite's `PRAGMA data_version` changes only when
 * another connection committed, so a poll that finds it unchanged costs two tiny statements; when
 * it changed, the event rows inserted since the last poll (by rowid, which only rises: events are
 * never deleted) are read by key, and those this connection did not write name the runs that
 * moved.
 */
export class ForeignCommits {
  readonly #sql: Statements;
  // This connection's commits since the last poll: run id to the seq ranges it wrote.
  readonly #own = new Map<string, [number, number][]>();
  #lastRowid: number;
  #version: number;

  constructor(sql: Statements) {
    this.#sql = sql;
    this.#lastRowid = sql.lastRowid.get() ?? 0;
    this.#version = sql.dataVersion.get() as number;
  }

  /** Notes a commit of this connection: events `from`..`to` of the run. */
  noteOwn(runId: string, from: number, to: number): void {
    const ranges = this.#own.get(runId);
    if (ranges) ranges.push([from, to]);
    else this.#own.set(runId, [[from, to]]);
  }

  /**
   * The runs other connections appended to since the last poll, each with the first seq this
   * connection has not seen. Synchronous, so no commit of this connection falls inside it.
   */
  poll(): Map<string, number> {
    const moved = new Map<string, number>();
    // The top rowid first, then the version: a foreign commit between the two changes the
    // version, so its rows are read below rather than skipped.
    const top = this.#sql.lastRowid.get() ?? 0;
    const version = this.#sql.dataVersion.get() as number;
    if (version === this.#version) {
      this.#lastRowid = Math.max(this.#lastRowid, top);
      this.#own.clear();
      return moved;
    }
    this.#version = version;
    for (;;) {
      const rows = this.#sql.eventsAfter.all(this.#lastRowid, PAGE);
      for (const row of rows) {
        this.#lastRowid = row.rowid;
        if (this.#isOwn(row.run_id, row.seq)) continue;
        const first = moved.get(row.run_id);
        if (first === undefined || row.seq < first) moved.set(row.run_id, row.seq);
      }
      if (rows.length < PAGE) break;
    }
    this.#own.clear();
    return moved;
  }

  #isOwn(runId: string, seq: number): boolean {
    for (const [from, to] of this.#own.get(runId) ?? []) if (seq >= from && seq <= to) return true;
    return false;
  }
}
