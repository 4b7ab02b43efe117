import type BetterSqlite3 from "better-sqlite3";

/** The schema version this code writes, kept in `PRAGMA user_version`. */
export const SQLITE_SCHEMA_VERSION = 2;

/**
 * Step `i` upgrades a database at version `i` to `i + 1`. Steps are append-only: a released step is
 * never edited, because databases in the field have already run it.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS events (
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  );
  CREATE TABLE IF NOT EXISTS snapshots (
    run_id TEXT PRIMARY KEY,
    at_seq INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    workflow TEXT,
    version INTEGER,
    status TEXT NOT NULL,
    waiting_on TEXT,
    wake_at INTEGER,
    head INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS runs_newest ON runs (created_at DESC, run_id DESC);
  CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status, created_at DESC, run_id DESC);
  CREATE INDEX IF NOT EXISTS runs_by_wake ON runs (wake_at, run_id) WHERE wake_at IS NOT NULL;
  `,
  // The signal index: each signal id of a run and the seq of the first event that recorded it,
  // written in the append's transaction; filled here from the events a file already holds.
  `
  CREATE TABLE IF NOT EXISTS signal_ids (
    run_id TEXT NOT NULL,
    signal_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (run_id, signal_id)
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO signal_ids (run_id, signal_id, seq)
    SELECT run_id, json_extract(body, '$.signalId'), min(seq) FROM events
    WHERE json_extract(body, '$.type') = 'SignalReceived'
      AND json_type(body, '$.signalId') = 'text'
    GROUP BY run_id, json_extract(body, '$.signalId');
  `,
];

/**
 * Brings the schema to `SQLITE_SCHEMA_VERSION` in one immediate transaction, reading the version
 * inside it so that two processes opening one new file at once migrate it once.
 * @throws Error when the file was written by a newer schema than this code knows.
 */
export function migrate(db: BetterSqlite3.Database): void {
  db.transaction(() => {
    const from = db.pragma("user_version", { simple: true }) as number;
    if (from > SQLITE_SCHEMA_VERSION) {
      throw new Error(
        `the database has schema version ${from}, newer than ${SQLITE_SCHEMA_VERSION} which this runlog knows`,
      );
    }
    for (let version = from; version < SQLITE_SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version] as string);
    }
    if (from !== SQLITE_SCHEMA_VERSION) db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  }).immediate();
}
