/** A value Durable Object SQLite returns: BLOBs come back as `ArrayBuffer`. */
export type SqlValue = ArrayBuffer | string | number | null;

/** A value the store binds: a `Uint8Array` is stored as a BLOB. */
export type SqlBinding = SqlValue | Uint8Array;

/** The part of a Durable Object's `ctx.storage.sql` (`SqlStorage`) the stores use. */
export interface SqlStorageLike {
  exec<T extends Record<string, SqlValue>>(
    query: string,
    ...bindings: SqlBinding[]
  ): { toArray(): T[] };
}

/**
 * The part of a Durable Object's `ctx.storage` (`DurableObjectStorage`) the stores use: pass
 * `ctx.storage` of a SQLite-backed Durable Object.
 */
export interface DurableObjectStorageLike {
  readonly sql: SqlStorageLike;
  transactionSync<T>(closure: () => T): T;
}
