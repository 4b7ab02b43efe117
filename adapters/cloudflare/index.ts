/**
 * runlog on Cloudflare: each run in its own SQLite-backed Durable Object (`RunObject`, its alarm
 * the waker), a `RunIndexObject` that lists them, and `WorkerRunHost`, the `RunHost` a Worker
 * serves the HTTP API with by forwarding each call to the run's object. `DurableObjectStore` is
 * the `HostStore` underneath; it needs only `ctx.storage`.
 *
 * ```ts
 * export const RunObject = createRunObject({ workflows: demoWorkflows, executor: demoExecutor() });
 * export { RunIndexObject };
 * const host = createWorkerRunHost({ runs: env.RUN_OBJECT, index: env.RUN_INDEX, workflows: demoWorkflows });
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
export type { RunObjectOptions } from "./run-object.ts";
export { createRunObject, RunObject } from "./run-object.ts";
export type { ForkSource, RunObjectRpc } from "./run-object-rpc.ts";
export { runObjectOf } from "./run-object-rpc.ts";
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
