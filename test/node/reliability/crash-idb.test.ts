// Crash at every commit and every execute, on IdbStore over fake-indexeddb: each life opens its
// own connection to one database, as a reloaded tab would, and recovery ends as the crash-free run.

import { IdbStore } from "runlog/idb";
import type { HostStore } from "runlog/store-kit";
import { expect, it } from "vitest";
import { checkCrashRecovery } from "../../support/crash-harness.ts";
import { IDBFactory, installFakeIdbClasses } from "../../support/fake-idb.ts";
import { crashSuiteOptions, propertyTimeout, report } from "./soak-config.ts";

installFakeIdbClasses();

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
