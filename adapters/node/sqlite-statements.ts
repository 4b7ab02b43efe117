import type BetterSqlite3 from "better-sqlite3";
import type { RunRow } from "./sqlite-rows.ts";

type Statement<P extends unknown[], R = unknown> = BetterSqlite3.Statement<P, R>;

/** The statements of one connection. */
export interface Statements {
  head: Statement<[string], number>;
  insertEvent: Statement<[string, number, number, string]>;
  insertEvents: Statement<(string | number)[]>;
  readPage: Statement<[string, number, number], string | null>;
  loadSnapshot: Statement<[string], string>;
  saveSnapshot: Statement<[string, number, string]>;
  putRun: Statement<[RunRow]>;
  getRun: Statement<[string], RunRow>;
  listAll: Statement<[number], RunRow>;
  listAllAfter: Statement<[number, string, number], RunRow>;
  listStatus: Statement<[string, number], RunRow>;
  listStatusAfter: Statement<[string, number, string, number], RunRow>;
  waking: Statement<[number], RunRow>;
  lastRowid: Statement<[], number | null>;
  eventsAfter: Statement<[number, number], EventKey>;
  dataVersion: Statement<[], number>;
  noteSignal: Statement<[string, string, number]>;
  signalSeq: Statement<[string, string], number>;
}

/** Where an event row sits: its rowid (rising with each insert: events are never deleted). */
export interface EventKey {
  rowid: number;
  run_id: string;
  seq: number;
}

const RUN_COLUMNS =
  "run_id, workflow, version, status, waiting_on, wake_at, head, created_at, updated_at";
const NEWEST = "ORDER BY created_at DESC, run_id DESC LIMIT ?";

/** How many events one multi-row insert writes. */
export const INSERT_CHUNK = 32;

/** Every statement the store runs, prepared once per connection. */
export function prepare(db: BetterSqlite3.Database): Statements {
  const runs = <P extends unknown[]>(where: string) =>
    db.prepare<P, RunRow>(`SELECT ${RUN_COLUMNS} FROM runs ${where}`);
  return {
    head: db
      .prepare<[string], number>(
        "SELECT seq FROM events WHERE run_id = ? ORDER BY seq DESC LIMIT 1",
      )
      .pluck(),
    insertEvent: db.prepare<[string, number, number, string]>(
      "INSERT INTO events (run_id, seq, ts, body) VALUES (?, ?, ?, ?)",
    ),
    // Large batches go in rows of this many per statement: one statement per row is most of the
    // cost of a group commit.
    insertEvents: db.prepare<(string | number)[]>(
      `INSERT INTO events (run_id, seq, ts, body) VALUES ${Array.from(
        { length: INSERT_CHUNK },
        () => "(?, ?, ?, ?)",
      ).join(", ")}`,
    ),
    // A page of events as one JSON array built by SQLite: one JSON.parse a page instead of one an
    // event is most of the cost of a replay. NULL for an empty page.
    readPage: db
      .prepare<[string, number, number], string | null>(
        `SELECT '[' || group_concat('{"seq":' || seq || ',"ts":' || ts || ',"event":' || body || '}',
           ',' ORDER BY seq) || ']'
         FROM (SELECT seq, ts, body FROM events WHERE run_id = ? AND seq >= ? ORDER BY seq LIMIT ?)`,
      )
      .pluck(),
    loadSnapshot: db
      .prepare<[string], string>("SELECT body FROM snapshots WHERE run_id = ?")
      .pluck(),
    // `>=`: at the same atSeq the later save wins.
    saveSnapshot: db.prepare<[string, number, string]>(
      `INSERT INTO snapshots (run_id, at_seq, body) VALUES (?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET at_seq = excluded.at_seq, body = excluded.body
       WHERE excluded.at_seq >= snapshots.at_seq`,
    ),
    // created_at is left alone on update: a run's creation time never changes, and rewriting it
    // would rewrite two index entries on every commit.
    putRun: db.prepare<[RunRow]>(
      `INSERT INTO runs (${RUN_COLUMNS}) VALUES (@run_id, @workflow, @version, @status,
         @waiting_on, @wake_at, @head, @created_at, @updated_at)
       ON CONFLICT (run_id) DO UPDATE SET workflow = excluded.workflow, version = excluded.version,
         status = excluded.status, waiting_on = excluded.waiting_on, wake_at = excluded.wake_at,
         head = excluded.head, updated_at = excluded.updated_at`,
    ),
    getRun: runs<[string]>("WHERE run_id = ?"),
    listAll: runs<[number]>(NEWEST),
    listAllAfter: runs<[number, string, number]>(`WHERE (created_at, run_id) < (?, ?) ${NEWEST}`),
    listStatus: runs<[string, number]>(`WHERE status = ? ${NEWEST}`),
    listStatusAfter: runs<[string, number, string, number]>(
      `WHERE status = ? AND (created_at, run_id) < (?, ?) ${NEWEST}`,
    ),
    waking: runs<[number]>("WHERE wake_at IS NOT NULL ORDER BY wake_at, run_id LIMIT ?"),
    lastRowid: db.prepare<[], number | null>("SELECT max(rowid) FROM events").pluck(),
    eventsAfter: db.prepare<[number, number], EventKey>(
      "SELECT rowid, run_id, seq FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?",
    ),
    // Changes only when another connection (in this process or another) committed.
    dataVersion: db.prepare<[], number>("PRAGMA data_version").pluck(),
    // The first event that records an id keeps it: a later one with the same id is ignored.
    noteSignal: db.prepare<[string, string, number]>(
      "INSERT OR IGNORE INTO signal_ids (run_id, signal_id, seq) VALUES (?, ?, ?)",
    ),
    signalSeq: db
      .prepare<[string, string], number>(
        "SELECT seq FROM signal_ids WHERE run_id = ? AND signal_id = ?",
      )
      .pluck(),
  };
}
