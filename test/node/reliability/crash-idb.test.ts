// Crash at every commit and every execute, on IdbStore over fake-indexeddb: each life opens its
// own connection to one database, as a reloaded tab would, and recovery ends as the crash-free run.
import {
  IDBCursor,
  IDBCursorWithValue,
  IDBDatabase,
  IDBFactory,
  IDBIndex,
  IDBKeyRange,
  IDBObjectStore,
  IDBOpenDBRequest,
  IDBRequest,
  IDBTransaction,
  IDBVersionChangeEvent,
} from "fake-indexeddb";
import type { HostStore } from "runlog";
import { IdbStore } from "runlog/idb";
import { expect, it, vi } from "vitest";
import { checkCrashRecovery } from "../../support/crash-harness.ts";
import { crashSuiteOptions, propertyTimeout, report } from "./soak-config.ts";

// idb tells its wrappers apart with `instanceof` on the global IDB classes; the factory is passed in.
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

it(
  "recovers a generated workflow from a crash at every point to the crash-free outcome (IdbStore, fake-indexeddb)",
  async () => {
    const factory = new IDBFactory();
    const options = crashSuiteOptions(40);
    console.log(`[crash-recovery] IdbStore seed ${options.seed}`);
    const figures = await checkCrashRecovery(
      {
        name: "IdbStore",
        connect: () => IdbStore.open({ indexedDB: factory, name: "crash" }),
        disconnect: (store: HostStore) => (store as IdbStore).close(),
      },
      options,
    );
    report(figures);
    expect(figures.crashPoints).toBeGreaterThan(0);
  },
  propertyTimeout,
);
