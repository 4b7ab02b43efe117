// fake-indexeddb for the IndexedDB store in Node. idb tells its wrappers apart with `instanceof`
// on the global IDB classes, so Node gets fake-indexeddb's classes as globals; the factory is
// never global: each store is handed one.
import {
  IDBCursor,
  IDBCursorWithValue,
  IDBDatabase,
  IDBIndex,
  IDBKeyRange,
  IDBObjectStore,
  IDBOpenDBRequest,
  IDBRequest,
  IDBTransaction,
  IDBVersionChangeEvent,
} from "fake-indexeddb";
import { vi } from "vitest";

export { IDBFactory } from "fake-indexeddb";

/** Installs fake-indexeddb's IDB classes (not a factory) as globals for this test file. */
export function installFakeIdbClasses(): void {
  const classes = {
    IDBCursor,
    IDBCursorWithValue,
    IDBDatabase,
    IDBIndex,
    IDBKeyRange,
    IDBObjectStore,
    IDBOpenDBRequest,
    IDBRequest,
    IDBTransaction,
    IDBVersionChangeEvent,
  };
  for (const [name, value] of Object.entries(classes)) vi.stubGlobal(name, value);
}
