// Recovery past the first page of the run index in the browser host, on fake-indexeddb.
import { demoWorkflows } from "runlog/demos";
import { createBrowserHost, IdbStore } from "runlog/idb";
import { ManualClock } from "runlog/testing";
import { describe, expect, it } from "vitest";
import { IDBFactory, installFakeIdbClasses } from "../support/fake-idb.ts";
import { RecordingWaker } from "../support/host-fixtures.ts";
import { armedSleepers, leaveSleepers } from "../support/many-sleepers.ts";

installFakeIdbClasses();
const T0 = 1_800_000_000_000;
const COUNT = 1_100;

// 1,100 runs on fake-indexeddb take a while to set up on a loaded machine.
describe("BrowserHost.recover() past the first thousand waiting runs", { timeout: 180_000 }, () => {
  it("re-arms every sleeping run in IndexedDB when the page loads again", async () => {
    const factory = new IDBFactory();
    const clock = new ManualClock(T0);
    const idb = await IdbStore.open({ indexedDB: factory, name: "many", durability: "relaxed" });
    await leaveSleepers(idb, clock, COUNT);
    idb.close();
    const waker = new RecordingWaker();
    const host = await createBrowserHost({
      indexedDB: factory,
      name: "many",
      workflows: demoWorkflows,
      clock,
      waker: waker.factory,
      broadcast: false,
      recover: false,
    });
    expect(await host.recover()).toEqual({ woken: 0, rearmed: COUNT });
    expect(armedSleepers(waker, T0, COUNT)).toBe(COUNT);
    await host.close();
  });
});
