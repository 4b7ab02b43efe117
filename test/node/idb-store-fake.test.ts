// IdbStore's contract in Node, on fake-indexeddb: fast, and a check that the store uses the factory
// it is given. Never a substitute for the Chromium suite in test/browser/idb-store.test.ts.

import { KernelError } from "runlog";
import { IdbStore } from "runlog/idb";
import { sequence } from "runlog/store-kit";
import { describeHostStore } from "runlog/store-kit/conformance";
import { describe, expect, it } from "vitest";
import { IDBFactory, installFakeIdbClasses } from "../support/fake-idb.ts";

const globalsBefore = "IDBRequest" in globalThis;
installFakeIdbClasses();

describeHostStore("IdbStore (fake-indexeddb)", () =>
  IdbStore.open({ indexedDB: new IDBFactory() }),
);

describe("IdbStore on fake-indexeddb", () => {
  it("imports where no IndexedDB global exists", () => {
    expect(globalsBefore).toBe(false);
    expect("indexedDB" in globalThis).toBe(false);
  });

  it("says so when there is no IndexedDB to open", async () => {
    await expect(IdbStore.open()).rejects.toSatisfy(
      (e: unknown) =>
        KernelError.is(e) && e.code === "store" && /IndexedDB is not available/.test(e.message),
    );
  });

  it("keeps a run across a close and a reopen on the same factory", async () => {
    const factory = new IDBFactory();
    const first = await IdbStore.open({ indexedDB: factory, name: "kept" });
    await first.append("r", sequence([{ type: "StateUpdated", payload: 1 }], 0, 1), {
      expectedHead: 0,
    });
    first.close();
    const again = await IdbStore.open({ indexedDB: factory, name: "kept" });
    expect(await again.head("r")).toBe(1);
    const other = await IdbStore.open({ indexedDB: new IDBFactory(), name: "kept" });
    expect(await other.head("r")).toBe(0);
  });
});
