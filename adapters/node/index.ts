/**
 * runlog on Node: a SQLite store (better-sqlite3, WAL) that keeps events, snapshots and the run
 * index of every run in one file, committed together, and a host on it that wakes what a previous
 * process left sleeping or running.
 *
 * ```ts
 * const host = await createNodeHost({ path: "./.runlog/runlog.db" });
 * const run = await host.start("demo.approval", { text: "hello" }, { wait: true });
 * await host.close();
 * ```
 */
export { DEFAULT_DB_PATH, envHostOptions } from "./env-host-options.ts";
export type { ProviderEnv } from "./env-providers.ts";
export { providersFromEnv } from "./env-providers.ts";
export type { CloseOptions, NodeHost, NodeHostOptions } from "./node-host.ts";
export { createNodeHost, defaultNodePolicy } from "./node-host.ts";
export type { RunlogServer, ServeOptions } from "./serve.ts";
export { serve } from "./serve.ts";
export { sqliteFeed } from "./sqlite-feed.ts";
export { SQLITE_SCHEMA_VERSION } from "./sqlite-schema.ts";
export type { SqliteDurability, SqliteStoreOptions, SqliteTuning } from "./sqlite-store.ts";
export { SqliteStore } from "./sqlite-store.ts";
export type { WorkflowModule } from "./workflow-module.ts";
export { loadWorkflowModule } from "./workflow-module.ts";
