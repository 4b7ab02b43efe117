/**
 * runlog's browser store: events, snapshots and the run index in one IndexedDB database (through
 * `idb`), each commit one transaction. Opening it is the only thing that touches IndexedDB.
 *
 * ```ts
 * const store = await IdbStore.open({ name: "runlog" });
 * const kernel = new Kernel({ events: store, snapshots: store, reducer, executor, step });
 * ```
 */

export type { IdbDurability, IdbStoreOptions } from "./idb-store.ts";
export { IdbStore } from "./idb-store.ts";
