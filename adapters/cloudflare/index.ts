/**
 * runlog on Cloudflare: each run in its own SQLite-backed Durable Object (`RunObject`, its alarm
 * the waker), a `RunIndexObject` that lists them, and the Worker's HTTP API, which forwards each
 * call about a run to that run's object. `createRunlogWorker` binds your workflows and tools and
 * gives all three; wrangler.toml binds the classes as `RUN_OBJECT` and `RUN_INDEX`.
 *
 * ```ts
 * const runlog = createRunlogWorker({ workflows: [approval], tools: [sendEmail] });
 * export const { RunObject, RunIndexObject } = runlog;
 * export default runlog;
 * ```
 */

export type { AlarmStorageLike, AlarmWakerOptions, WakeCandidate } from "./alarm-waker.ts";
export { AlarmWaker, WATCHDOG_MS } from "./alarm-waker.ts";
export { CHUNK_BYTES, MAX_BODY_BYTES } from "./chunked-body.ts";
export { DurableObjectStore } from "./durable-object-store.ts";
export { eventStream, readEventStream } from "./event-stream.ts";
export {
  IndexReporter,
  REPORT_RETRY_MAX_MS,
  REPORT_RETRY_MS,
  REPORTER_MIGRATIONS,
} from "./index-reporter.ts";
export type { RpcFailure, RpcResult } from "./rpc-result.ts";
export { fromRpcFailure, toRpcFailure, toRpcResult, unwrapRpc } from "./rpc-result.ts";
export type { RunIndexRpc } from "./run-index-object.ts";
export {
  RUN_INDEX_MIGRATIONS,
  RUN_INDEX_NAME,
  RunIndexObject,
  runIndexOf,
} from "./run-index-object.ts";
export type { RunObjectClass, RunObjectOptions } from "./run-object.ts";
export { createRunObject, RunObject } from "./run-object.ts";
export type { ForkSource, RunObjectRpc } from "./run-object-rpc.ts";
export { runObjectOf } from "./run-object-rpc.ts";
export type { FromEnv, RunlogWorker, RunlogWorkerOptions } from "./runlog-worker.ts";
export { createRunlogWorker } from "./runlog-worker.ts";
export { migrateSchema, readSchemaVersion, SCHEMA_VERSION, STORE_MIGRATIONS } from "./schema.ts";
export { RUNS_TABLE_V1, SqlRunIndex } from "./sql-run-index.ts";
export type {
  DurableObjectStorageLike,
  SqlBinding,
  SqlStorageLike,
  SqlValue,
} from "./sql-storage.ts";
export type { WorkerRunHostOptions } from "./worker-run-host.ts";
export { createWorkerRunHost, WorkerRunHost } from "./worker-run-host.ts";
