// RunObject in real workerd: a run per Durable Object, its alarm as the waker, eviction in the
// middle of a sleep and of a retry backoff, an imported export continuing in an object.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { createMemoryHost, parseExport, type RunInfo, type SequencedEvent } from "runlog";
import { approvalDemo, demoExecutor } from "runlog/demos";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createWorkerRunHost,
  type RunObjectRpc,
  runObjectOf,
  unwrapRpc,
} from "../../adapters/cloudflare/index.ts";

/** What the tests reach of a TestRunObject instance (apps/worker-test/test-run-object.ts). */
type TestInstance = { skewMs?: number; lostReports?: number };

let runs = 0;
const newRunId = (what: string) => `${what}-${Date.now()}-${runs++}`;

const testObject = (runId: string): RunObjectRpc => runObjectOf(env.TEST_RUN_OBJECT, runId);
const testStub = (runId: string) => env.TEST_RUN_OBJECT.get(env.TEST_RUN_OBJECT.idFromName(runId));

/** Moves the object's clock `ms` ahead of the real time (a new instance starts at 0). */
const skew = (runId: string, ms: number) =>
  runInDurableObject(testStub(runId), (instance) => {
    (instance as TestInstance).skewMs = ms;
  });

const alarmOf = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());

/**
 * Evicts the object as the platform would: its memory (and its host) is gone, its storage and
 * alarm stay. workerd logs the abort as an uncaught exception; that line is expected.
 */
async function evict(stub: DurableObjectStub): Promise<void> {
  const aborted = await runInDurableObject(stub, (_instance, state) => {
    state.abort("evicted by the test");
  }).catch((e: unknown) => e);
  expect(String(aborted)).toMatch(/evicted by the test/);
}

/** Each action's events: exactly one request and one terminal event is the contract. */
function actionsOf(events: readonly SequencedEvent[]) {
  const byId = new Map<string, string[]>();
  for (const { event } of events) {
    if ("actionId" in event && typeof event.actionId === "string") {
      byId.set(event.actionId, [...(byId.get(event.actionId) ?? []), event.type]);
    }
  }
  return [...byId.values()];
}

// The first call loads the Worker's modules into the test isolate, which takes seconds.
beforeAll(async () => {
  await exports.default.fetch("http://runlog.test/health");
}, 60_000);

describe("RunObject: the alarm is the waker", () => {
  it("completes demo.sleep when its alarm fires", async () => {
    const runId = newRunId("sleep");
    const object = testObject(runId);
    const started = unwrapRpc(
      await object.start(runId, "demo.sleep", { ms: 60_000 }, { wait: true }),
    );
    expect(started).toMatchObject({ runId, status: "blocked", existed: false });
    const timerAt = started.blocked?.timerAt as number;
    expect(timerAt).toBeGreaterThan(Date.now() + 50_000);
    // One alarm, at the timer (the run index report is done by now).
    expect(unwrapRpc(await object.idle(runId))).toEqual({ reported: true });
    expect(await alarmOf(testStub(runId))).toBe(timerAt);

    await skew(runId, 60_001);
    expect(await runDurableObjectAlarm(testStub(runId))).toBe(true);
    const done = unwrapRpc(await object.info(runId));
    expect(done).toMatchObject({ status: "completed", output: { sleptMs: 60_000 } });
    expect(unwrapRpc(await object.idle(runId))).toEqual({ reported: true });
    expect(await alarmOf(testStub(runId))).toBeNull();
  });

  it("wakes a short demo.sleep by itself in the real object, with no one calling", async () => {
    const runId = newRunId("real-sleep");
    const object = runObjectOf(env.RUN_OBJECT, runId);
    const started = unwrapRpc(await object.start(runId, "demo.sleep", { ms: 300 }, { wait: true }));
    expect(started.status).toBe("blocked");
    let info: RunInfo = started;
    for (let i = 0; i < 100 && info.status !== "completed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      info = unwrapRpc(await object.info(runId));
    }
    expect(info).toMatchObject({ status: "completed", output: { sleptMs: 300 } });
  });
});

describe("RunObject: eviction", () => {
  it("resumes a run evicted mid-sleep and mid-backoff from storage, one request and one outcome per action", async () => {
    // A stub breaks with its object's eviction: each step takes a fresh one.
    const runId = newRunId("evicted");
    const info = async () => unwrapRpc(await testObject(runId).info(runId));
    const started = unwrapRpc(
      await testObject(runId).start(runId, "test.sleep-then-flaky", { ms: 60_000 }, { wait: true }),
    );
    expect(started.blocked?.timerAt).toBeDefined();
    // Its report to the run index is done, so the one alarm left is the timer's.
    expect(unwrapRpc(await testObject(runId).idle(runId)).reported).toBe(true);

    await evict(testStub(runId));
    expect(await alarmOf(testStub(runId))).toBe(started.blocked?.timerAt);
    await skew(runId, 61_000);
    expect(await runDurableObjectAlarm(testStub(runId))).toBe(true);
    // The sleep is over; the tool failed once and backs off a minute, durably.
    const backingOff = await info();
    expect(backingOff.status).toBe("blocked");
    const retryAt = backingOff.blocked?.retryAt as number;
    expect(retryAt).toBeGreaterThan(Date.now() + 61_000 + 50_000);
    expect(unwrapRpc(await testObject(runId).idle(runId)).reported).toBe(true);
    expect(await alarmOf(testStub(runId))).toBe(retryAt);

    await evict(testStub(runId));
    await skew(runId, retryAt - Date.now() + 1);
    expect(await runDurableObjectAlarm(testStub(runId))).toBe(true);
    const second = await info();
    const secondRetryAt = second.blocked?.retryAt as number;
    expect(secondRetryAt).toBeGreaterThan(retryAt);

    await evict(testStub(runId));
    await skew(runId, secondRetryAt - Date.now() + 1);
    expect(await runDurableObjectAlarm(testStub(runId))).toBe(true);
    expect(await info()).toMatchObject({
      status: "completed",
      output: { sleptMs: 60_000, attempt: 2 },
    });

    const { events } = unwrapRpc(await testObject(runId).events(runId));
    expect(actionsOf(events)).toEqual([
      ["ActionRequested", "ActionSucceeded"],
      ["ActionRequested", "ActionAttemptFailed", "ActionAttemptFailed", "ActionSucceeded"],
    ]);
    expect(events.filter((e) => e.event.type === "Completed")).toHaveLength(1);
  });
});

describe("RunObject: portability", () => {
  it("imports a run exported elsewhere, verifies it with the same hash, and continues it", async () => {
    // Exported from a memory host (what a browser tab runs), blocked on its approval.
    const runId = newRunId("imported");
    const memory = createMemoryHost({ workflows: [approvalDemo], executor: demoExecutor() });
    await memory.start("demo.approval", { text: "ship it" }, { runId, wait: true });
    const text = await memory.exportRun(runId);
    const { header } = await parseExport(text);

    const host = createWorkerRunHost({
      runs: env.RUN_OBJECT,
      index: env.RUN_INDEX,
      workflows: [approvalDemo],
    });
    expect(await host.importRun(text)).toEqual({ runId, head: header.head, hash: header.hash });
    const report = await host.verify(runId);
    expect(report).toMatchObject({ ok: true, hash: header.hash, head: header.head });
    expect(await host.exportRun(runId)).toBe(text);

    const blocked = await host.get(runId);
    expect(blocked.blocked?.interrupt?.value).toMatchObject({ question: 'Publish "ship it"?' });
    const done = await host.resume(runId, { approved: true }, { wait: true });
    expect(done).toMatchObject({
      status: "completed",
      output: { approved: true, text: "ship it" },
    });
    expect((await host.verify(runId)).ok).toBe(true);
  });
});

describe("WorkerRunHost: watching a run in its object", () => {
  it("streams stored and new events over RPC, ends with the run, and stops when the watcher does", async () => {
    const runId = newRunId("watched");
    const host = createWorkerRunHost({
      runs: env.RUN_OBJECT,
      index: env.RUN_INDEX,
      workflows: [approvalDemo],
    });
    await host.start("demo.approval", { text: "watch me" }, { runId, wait: true });

    // A watcher that leaves early: the loop ends, nothing hangs.
    const first: string[] = [];
    for await (const se of host.watch(runId)) {
      first.push(se.event.type);
      if (first.length === 2) break;
    }
    expect(first).toEqual(["RunStarted", "ActionRequested"]);

    // One that stays until the run ends, from seq 3, while a resume comes in.
    const seen: number[] = [];
    const watching = (async () => {
      for await (const se of host.watch(runId, { from: 3 })) seen.push(se.seq);
    })();
    await host.resume(runId, { approved: true });
    await watching;
    expect(seen).toEqual([3, 4, 5, 6]);

    // An aborted watch of a waiting run ends too.
    const other = newRunId("watched-abort");
    await host.start("demo.approval", { text: "never answered" }, { runId: other, wait: true });
    const stop = new AbortController();
    const types: string[] = [];
    const aborted = (async () => {
      for await (const se of host.watch(other, { signal: stop.signal })) {
        types.push(se.event.type);
        if (se.event.type === "Interrupted") stop.abort();
      }
    })();
    await aborted;
    expect(types.at(-1)).toBe("Interrupted");
  });
});
