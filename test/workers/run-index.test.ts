// The run index behind GET /runs: every run object reports its summary after its commits, and a
// report that is lost is sent again (next commit, the object's alarm) until the index has it.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { RunSummary } from "runlog";
import { demoWorkflows } from "runlog/demos";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createWorkerRunHost,
  runIndexOf,
  runObjectOf,
  unwrapRpc,
} from "../../adapters/cloudflare/index.ts";

/** What the tests reach of a TestRunObject instance (apps/worker-test/test-run-object.ts). */
type TestInstance = { lostReports?: number };

let runs = 0;
const newRunId = (what: string) => `${what}-${Date.now()}-${runs++}`;
const host = () =>
  createWorkerRunHost({ runs: env.RUN_OBJECT, index: env.RUN_INDEX, workflows: demoWorkflows });
const testStub = (runId: string) => env.TEST_RUN_OBJECT.get(env.TEST_RUN_OBJECT.idFromName(runId));
const testObject = (runId: string) => runObjectOf(env.TEST_RUN_OBJECT, runId);
const indexed = async (runId: string) => unwrapRpc(await runIndexOf(env.RUN_INDEX).getRun(runId));
const loseReports = (runId: string, n: number) =>
  runInDurableObject(testStub(runId), (instance) => {
    (instance as TestInstance).lostReports = n;
  });

beforeAll(async () => {
  await exports.default.fetch("http://runlog.test/health");
}, 60_000);

describe("RunIndexObject", () => {
  it("lists runs from every object newest first, by status, a page at a time", async () => {
    const h = host();
    const ids = [newRunId("list-a"), newRunId("list-b"), newRunId("list-c")];
    await h.start("demo.approval", { text: "a" }, { runId: ids[0] as string, wait: true });
    await h.start("demo.signal", {}, { runId: ids[1] as string, wait: true });
    await h.start("demo.approval", { text: "c" }, { runId: ids[2] as string, wait: true });
    await h.resume(ids[2] as string, { approved: false }, { wait: true });
    for (const id of ids) {
      expect(unwrapRpc(await runObjectOf(env.RUN_OBJECT, id).idle(id))).toEqual({ reported: true });
    }

    const mine = (list: RunSummary[]) => list.filter((r) => ids.includes(r.runId));
    const all = mine((await h.list({ limit: 1000 })).runs);
    const infos = await Promise.all(ids.map((id) => h.get(id)));
    const expected = [...infos]
      .sort((a, b) => b.createdAt - a.createdAt || (a.runId < b.runId ? 1 : -1))
      .map((r) => r.runId);
    expect(all.map((r) => r.runId)).toEqual(expected);
    expect(
      Object.fromEntries(all.map((r) => [r.runId, [r.workflow, r.status, r.waitingOn]])),
    ).toEqual({
      [ids[0] as string]: ["demo.approval", "blocked", "interrupt"],
      [ids[1] as string]: ["demo.signal", "blocked", "signal"],
      [ids[2] as string]: ["demo.approval", "completed", undefined],
    });
    for (const run of all) expect(run.head).toBe((await h.get(run.runId)).head);

    expect(
      mine((await h.list({ status: "completed", limit: 1000 })).runs).map((r) => r.runId),
    ).toEqual([ids[2]]);
    // Pages of one walk the same list.
    const walked: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.list({ limit: 1, ...(cursor ? { cursor } : {}) });
      walked.push(...page.runs.map((r) => r.runId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked.filter((id) => ids.includes(id))).toEqual(expected);
  });

  it("sends a run's summary again after a report is lost, until the index is at its head", async () => {
    const runId = newRunId("lost-once");
    await loseReports(runId, 1);
    const object = testObject(runId);
    unwrapRpc(await object.start(runId, "demo.approval", { text: "x" }, { wait: true }));
    const idle = unwrapRpc(await object.idle(runId));
    expect(idle).toEqual({ reported: true });
    const left = await runInDurableObject(
      testStub(runId),
      (instance) => (instance as TestInstance).lostReports,
    );
    expect(left).toBe(0);
    const held = unwrapRpc(await object.summary(runId));
    expect(held?.reportedHead).toBe(held?.summary.head);
    expect(await indexed(runId)).toEqual(held?.summary);
  });

  it("heals by the object's alarm when every report was lost and the object was evicted", async () => {
    const runId = newRunId("lost-all");
    await loseReports(runId, 1_000);
    unwrapRpc(await testObject(runId).start(runId, "demo.approval", { text: "y" }, { wait: true }));
    expect(unwrapRpc(await testObject(runId).idle(runId))).toEqual({ reported: false });
    expect(await indexed(runId)).toBeNull();
    const behind = unwrapRpc(await testObject(runId).summary(runId));
    expect(behind).toMatchObject({ reportedHead: 0, summary: { status: "blocked" } });

    // The object forgets everything in memory; its storage remembers that the index is behind.
    const aborted = await runInDurableObject(testStub(runId), (_instance, state) => {
      state.abort("evicted by the test");
    }).catch((e: unknown) => e);
    expect(String(aborted)).toMatch(/evicted by the test/);
    const alarm = await runInDurableObject(testStub(runId), (_i, state) =>
      state.storage.getAlarm(),
    );
    expect(alarm).not.toBeNull();

    expect(await runDurableObjectAlarm(testStub(runId))).toBe(true);
    const healed = unwrapRpc(await testObject(runId).summary(runId));
    expect(healed?.reportedHead).toBe(healed?.summary.head);
    expect(await indexed(runId)).toEqual(healed?.summary);
    // Blocked on a human and fully reported: nothing left to wake for.
    expect(
      await runInDurableObject(testStub(runId), (_i, state) => state.storage.getAlarm()),
    ).toBeNull();
  });

  it("keeps the newest summary when reports arrive out of order", async () => {
    const index = runIndexOf(env.RUN_INDEX);
    const runId = newRunId("order");
    const newer: RunSummary = { runId, status: "completed", head: 5, createdAt: 1, updatedAt: 3 };
    const older: RunSummary = { runId, status: "running", head: 2, createdAt: 1, updatedAt: 2 };
    expect(unwrapRpc(await index.report(newer))).toEqual({ head: 5 });
    expect(unwrapRpc(await index.report(older))).toEqual({ head: 5 });
    expect(await indexed(runId)).toEqual(newer);
  });
});
