// A Durable Object aborted in the middle of an action, in real workerd: the tool `held` of
// apps/worker/test-run-object.ts waits in flight (its ActionRequested durable, no outcome) until
// the object is evicted. Nothing re-drives the run but the object's alarm, which the watchdog
// (alarm-waker.ts, WATCHDOG_MS) keeps set while a run stays `running`; when it fires, the action
// runs again with the same action id and the run ends with one request and one outcome per action.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { SequencedEvent } from "runlog";
import { beforeAll, describe, expect, it } from "vitest";
import { runObjectOf, unwrapRpc, WATCHDOG_MS } from "../../adapters/cloudflare/index.ts";

/** What the tests reach of a TestRunObject instance (apps/worker/test-run-object.ts). */
type TestInstance = {
  heldExecutions(): { actionId: string; attempt: number; i: number }[];
  releaseHeld(runId: string): number;
};

let runs = 0;
const newRunId = (what: string) => `${what}-${Date.now()}-${runs++}`;

// A stub breaks with its object's eviction: each call takes a fresh one.
const testObject = (runId: string) => runObjectOf(env.TEST_RUN_OBJECT, runId);
const testStub = (runId: string) => env.TEST_RUN_OBJECT.get(env.TEST_RUN_OBJECT.idFromName(runId));

const alarmOf = (runId: string) =>
  runInDurableObject(testStub(runId), (_instance, state) => state.storage.getAlarm());

/** This run's executions of `held`, in order. */
const executionsOf = async (runId: string) =>
  (
    await runInDurableObject(testStub(runId), (instance) =>
      (instance as unknown as TestInstance).heldExecutions(),
    )
  ).filter((e) => e.actionId.startsWith(`${runId}:`));

const release = (runId: string) =>
  runInDurableObject(testStub(runId), (instance) =>
    (instance as unknown as TestInstance).releaseHeld(runId),
  );

/** Evicts the object as the platform would: its memory is gone, its storage and alarm stay. */
async function evict(runId: string): Promise<void> {
  const aborted = await runInDurableObject(testStub(runId), (_instance, state) => {
    state.abort("evicted by the test");
  }).catch((e: unknown) => e);
  expect(String(aborted)).toMatch(/evicted by the test/);
}

/** Polls until `probe` gives a value; a generous bound, never a speed check. */
async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1500; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Starts `test.held {n}` and returns once its first tool is executing. */
async function startHeld(runId: string, n: number): Promise<string> {
  const started = unwrapRpc(await testObject(runId).start(runId, "test.held", { n }));
  expect(started.status).toBe("running");
  return until("the held tool to start", async () => (await executionsOf(runId))[0]?.actionId);
}

const eventsOf = async (runId: string) => unwrapRpc(await testObject(runId).events(runId)).events;

/** Seqs 1..n; per action one request (id `<runId>:<seq>`) and one terminal event; one end. */
function expectOneOfEach(runId: string, events: readonly SequencedEvent[]): void {
  expect(events.map((se) => se.seq)).toEqual(events.map((_, i) => i + 1));
  const byId = new Map<string, string[]>();
  for (const { seq, event } of events) {
    if (event.type === "ActionRequested") expect(event.actionId).toBe(`${runId}:${seq}`);
    if ("actionId" in event && typeof event.actionId === "string") {
      byId.set(event.actionId, [...(byId.get(event.actionId) ?? []), event.type]);
    }
  }
  for (const types of byId.values()) expect(types).toEqual(["ActionRequested", "ActionSucceeded"]);
  expect(events.filter((se) => se.event.type === "Completed")).toHaveLength(1);
  expect(events.at(-1)?.event.type).toBe("Completed");
}

// The first call loads the Worker's modules into the test isolate, which takes seconds.
beforeAll(async () => {
  await exports.default.fetch("http://runlog.test/health");
}, 60_000);

describe("RunObject: evicted in the middle of an action", () => {
  it("re-drives the run when its watchdog alarm fires: the same action id executed again, one request and one outcome per action", async () => {
    const runId = newRunId("evicted-mid-action");
    const heldId = await startHeld(runId, 2);
    expect(heldId).toBe(`${runId}:2`);
    const before = await eventsOf(runId);
    expect(before.map((se) => se.event.type)).toEqual(["RunStarted", "ActionRequested"]);
    // The run is `running` with nothing to wake it but the watchdog, a minute out.
    const watchdog = (await alarmOf(runId)) as number;
    expect(watchdog).toBeGreaterThan(Date.now() + WATCHDOG_MS / 2);
    expect(watchdog).toBeLessThanOrEqual(Date.now() + WATCHDOG_MS);

    await evict(runId);
    // A new instance: the request is still trailing, nothing ran it again, the alarm is still set.
    expect(unwrapRpc(await testObject(runId).info(runId)).status).toBe("running");
    expect(await eventsOf(runId)).toEqual(before);
    expect(await executionsOf(runId)).toHaveLength(1);
    expect(await alarmOf(runId)).toBeGreaterThan(Date.now() + WATCHDOG_MS / 2);

    expect(await runDurableObjectAlarm(testStub(runId))).toBe(true);
    const info = unwrapRpc(await testObject(runId).info(runId));
    expect(info).toMatchObject({
      status: "completed",
      output: [
        { i: 0, actionId: heldId, execution: 2 },
        { i: 1, actionId: `${runId}:4`, execution: 1 },
      ],
    });
    expect(await executionsOf(runId)).toEqual([
      { actionId: heldId, attempt: 0, i: 0 },
      { actionId: heldId, attempt: 0, i: 0 },
      { actionId: `${runId}:4`, attempt: 0, i: 1 },
    ]);
    const events = await eventsOf(runId);
    expect(events.slice(0, 2)).toEqual(before);
    expectOneOfEach(runId, events);
    expect(unwrapRpc(await testObject(runId).verify(runId)).ok).toBe(true);
    // Nothing is left to wake once the index has the final summary.
    expect(unwrapRpc(await testObject(runId).idle(runId)).reported).toBe(true);
    expect(await alarmOf(runId)).toBeNull();
  });

  it("leaves an evicted run alone until its alarm, however many requests come, then runs the action once more", async () => {
    const runId = newRunId("evicted-then-read");
    const heldId = await startHeld(runId, 1);
    await evict(runId);
    // Reads, a timeline and a verify wake the object but never the run.
    for (let i = 0; i < 3; i++) {
      expect(unwrapRpc(await testObject(runId).info(runId)).status).toBe("running");
      expect(unwrapRpc(await testObject(runId).timeline(runId))).toBeDefined();
    }
    expect(await executionsOf(runId)).toHaveLength(1);
    // Evicted again before the alarm: still one execution, and the alarm still set.
    await evict(runId);
    expect(await alarmOf(runId)).not.toBeNull();
    expect(await runDurableObjectAlarm(testStub(runId))).toBe(true);
    expect(unwrapRpc(await testObject(runId).info(runId))).toMatchObject({
      status: "completed",
      output: [{ i: 0, actionId: heldId, execution: 2 }],
    });
    expect((await executionsOf(runId)).map((e) => e.actionId)).toEqual([heldId, heldId]);
    expectOneOfEach(runId, await eventsOf(runId));
  });

  it("never runs an action twice when the watchdog fires while it is still running in a live object", async () => {
    const runId = newRunId("live-mid-action");
    const heldId = await startHeld(runId, 2);
    // The alarm fires while the tool is in flight in this very instance: the host joins its drive.
    let alarmDone = false;
    const alarm = runDurableObjectAlarm(testStub(runId)).finally(() => {
      alarmDone = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The alarm waits for the drive in progress instead of starting a second execution.
    expect(alarmDone).toBe(false);
    expect(await executionsOf(runId)).toHaveLength(1);
    expect(await release(runId)).toBe(1);
    expect(await alarm).toBe(true);
    expect(unwrapRpc(await testObject(runId).info(runId))).toMatchObject({
      status: "completed",
      output: [
        { i: 0, actionId: heldId, execution: 1 },
        { i: 1, actionId: `${runId}:4`, execution: 1 },
      ],
    });
    expect((await executionsOf(runId)).map((e) => e.actionId)).toEqual([heldId, `${runId}:4`]);
    expectOneOfEach(runId, await eventsOf(runId));
  });
});
