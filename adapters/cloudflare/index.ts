/**
 * runlog on Cloudflare: a `HostStore` over a SQLite-backed Durable Object's storage. The store
 * needs only `ctx.storage`; it does not depend on any Durable Object class.
 *
 * ```ts
 * export class RunObject extends DurableObject {
 *   readonly store = new DurableObjectStore(this.ctx.storage);
 * }
 * ```
 */
export { CHUNK_BYTES, MAX_BODY_BYTES } from "./chunked-body.ts";
export { DurableObjectStore } from "./durable-object-store.ts";
export { migrateSchema, readSchemaVersion, SCHEMA_VERSION, STORE_MIGRATIONS } from "./schema.ts";
export { RUNS_TABLE_V1, SqlRunIndex } from "./sql-run-index.ts";
export type {
  DurableObjectStorageLike,
  SqlBinding,
  SqlStorageLike,
  SqlValue,
} from "./sql-storage.ts";
