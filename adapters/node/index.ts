/**
 * runlog on Node: a SQLite store (better-sqlite3, WAL) that keeps events, snapshots and the run
 * index of every run in one file, committed together, for a host or a bare kernel.
 *
 * ```ts
 * const store = SqliteStore.open("./.runlog/runlog.db");
 * const kernel = new Kernel({ events: store, snapshots: store, reducer, executor, step });
 * ```
 */
export { SQLITE_SCHEMA_VERSION } from "./sqlite-schema.ts";
export type { SqliteDurability, SqliteStoreOptions, SqliteTuning } from "./sqlite-store.ts";
export { SqliteStore } from "./sqlite-store.ts";
