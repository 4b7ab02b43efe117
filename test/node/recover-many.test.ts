// Recovery past the first page of the run index on SQLite (the Node server); the browser host's
// is in recover-many-idb.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHost } from "runlog";
import { demoWorkflows } from "runlog/demos";
import { ManualClock } from "runlog/testing";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../adapters/node/index.ts";
import { RecordingWaker } from "../support/host-fixtures.ts";
import { armedSleepers, leaveSleepers } from "../support/many-sleepers.ts";

const dir = mkdtempSync(join(tmpdir(), "runlog-recover-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = 1_800_000_000_000;
const COUNT = 1_100;

describe("recover() past the first thousand waiting runs", { timeout: 180_000 }, () => {
  it("re-arms every sleeping run on SQLite after a restart", async () => {
    const path = join(dir, "many.db");
    const clock = new ManualClock(T0);
    const first = SqliteStore.open(path, { durability: "relaxed" });
    await leaveSleepers(first, clock, COUNT);
    first.close();
    const store = SqliteStore.open(path);
    const waker = new RecordingWaker();
    const host = createHost({ store, workflows: demoWorkflows, clock, waker: waker.factory });
    expect(await host.recover()).toEqual({ woken: 0, rearmed: COUNT });
    expect(armedSleepers(waker, T0, COUNT)).toBe(COUNT);
    await host.close();
    store.close();
  });
});
