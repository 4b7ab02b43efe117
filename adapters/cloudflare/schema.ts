import { ErrorCode, KernelError } from "../../src/index.ts";
import { RUNS_TABLE_V1 } from "./sql-run-index.ts";
import type { DurableObjectStorageLike, SqlStorageLike } from "./sql-storage.ts";

/**
 * The DurableObjectStore's schema, one entry per version: entry `i` moves a database from version
 * `i` to `i + 1`. Released entries are never edited, only appended to.
 */
export const STORE_MIGRATIONS: readonly (readonly string[])[] = [
  [
    // `body` is the event's JSON; NULL when it is split into `parts` rows of runlog_chunks.
    `CREATE TABLE runlog_events (
      run_id TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL,
      body TEXT, parts INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (run_id, seq))`,
    `CREATE TABLE runlog_snapshots (
      run_id TEXT PRIMARY KEY, at_seq INTEGER NOT NULL,
      body TEXT, parts INTEGER NOT NULL DEFAULT 0)`,
    // Values too large for one row: kind 'event' (seq = the event's) or 'snapshot' (seq = 0).
    `CREATE TABLE runlog_chunks (
      run_id TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL, part INTEGER NOT NULL,
      data BLOB NOT NULL,
      PRIMARY KEY (run_id, kind, seq, part))`,
    ...RUNS_TABLE_V1,
  ],
  [
    // The signal index: each signal id of a run and the seq of the first event that recorded it,
    // written in the append's transaction; filled here from the events kept inline (those split
    // into chunks are read by `fillSignalIndex`).
    `CREATE TABLE runlog_signal_ids (
      run_id TEXT NOT NULL, signal_id TEXT NOT NULL, seq INTEGER NOT NULL,
      PRIMARY KEY (run_id, signal_id))`,
    `INSERT OR IGNORE INTO runlog_signal_ids (run_id, signal_id, seq)
      SELECT run_id, json_extract(body, '$.signalId'), min(seq) FROM runlog_events
      WHERE body IS NOT NULL AND json_extract(body, '$.type') = 'SignalReceived'
        AND json_type(body, '$.signalId') = 'text'
      GROUP BY run_id, json_extract(body, '$.signalId')`,
  ],
];

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = STORE_MIGRATIONS.length;

const META_TABLE = `CREATE TABLE IF NOT EXISTS runlog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`;

/** The schema version stored under `key`, 0 for a database that has none (its meta table is made). */
export function readSchemaVersion(sql: SqlStorageLike, key = "schema_version"): number {
  sql.exec(META_TABLE);
  const row = sql
    .exec<{ value: string }>(`SELECT value FROM runlog_meta WHERE key = ?`, key)
    .toArray()[0];
  return row === undefined ? 0 : Number(row.value);
}

/**
 * Brings the database to the last version of `migrations` in one transaction and records it under
 * `key` in `runlog_meta`; does nothing when it is there already. Returns the version.
 * @throws KernelError (code `store`) when the database was written by a newer schema.
 */
export function migrateSchema(
  storage: DurableObjectStorageLike,
  migrations: readonly (readonly string[])[] = STORE_MIGRATIONS,
  key = "schema_version",
  afterSteps?: (from: number) => void,
): number {
  return storage.transactionSync(() => {
    const current = readSchemaVersion(storage.sql, key);
    if (current > migrations.length) {
      throw new KernelError(
        ErrorCode.Store,
        `the Durable Object's runlog schema (${key}) is at version ${current}, newer than this code's ${migrations.length}`,
      );
    }
    if (current === migrations.length) return current;
    for (const step of migrations.slice(current)) {
      for (const statement of step) storage.sql.exec(statement);
    }
    // In the same transaction: what a step needs code for, given the version it started from.
    afterSteps?.(current);
    storage.sql.exec(
      `INSERT INTO runlog_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      key,
      String(migrations.length),
    );
    return migrations.length;
  });
}
