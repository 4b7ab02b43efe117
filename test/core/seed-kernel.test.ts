// One test per test of the seed's `mod tests`, named with the seed's words, asserting its facts.

import {
  ActionError,
  AllowAllPolicy,
  KernelMode,
  type KernelOptions,
  MemoryEventStore,
  MemorySnapshotStore,
  type Reducer,
  RetryWithBackoffPolicy,
} from "runlog";
import { describe, expect, it } from "vitest";
import {
  CollectingSink,
  CountingExecutor,
  count,
  makeKernel,
  noopStep,
  ScriptedExecutor,
  SequenceStep,
  seedLog,
  type TestState,
} from "../support/kernel-fixtures.ts";

const emitOnceThenComplete = () =>
  new SequenceStep([
    { type: "emit", events: [{ type: "StateUpdated", stepId: "node1", payload: 1 }] },
  ]);
const doOnceThenComplete = () =>
  new SequenceStep([{ type: "do", action: { type: "callTool", tool: "dummy", input: null } }]);
const interruptOnce = (interrupted: boolean) => ({
  next: () =>
    interrupted
      ? ({ type: "complete" } as const)
      : ({ type: "interrupt", value: "pause" } as const),
});

class CountingReducer implements Reducer<TestState> {
  calls = 0;
  apply(state: TestState, se: Parameters<Reducer<TestState>["apply"]>[1]): TestState {
    this.calls += 1;
    return se.event.type === "StateUpdated" ? (se.event.payload as number) : state;
  }
}

describe("the seed's kernel tests", () => {
  it("run_until_blocked complete: a step that completes at once completes the run", async () => {
    const status = await makeKernel().runUntilBlocked("run-complete", 0);
    expect(status.type).toBe("completed");
  });

  it("run_until_blocked persists latest snapshot on completion: at the final seq, with the final state", async () => {
    const snapshots = new MemorySnapshotStore<TestState>();
    const k = makeKernel({ snapshots, step: emitOnceThenComplete() });
    const status = await k.runUntilBlocked("run-snapshot-complete", 0);
    expect(status.type).toBe("completed");
    const snapshot = await snapshots.loadLatest("run-snapshot-complete");
    expect(snapshot?.atSeq).toBe(2);
    expect(snapshot?.state).toBe(1);
  });

  it("kernel replay mode determinism guard traps clock", () => {
    const k = makeKernel({ mode: KernelMode.Replay });
    expect(() => k.determinismGuard().checkClockAccess()).toThrow(/Replay/);
    expect(() => makeKernel().determinismGuard().checkClockAccess()).not.toThrow();
  });

  it("effect sink captures state write and complete: one StateWrite with its step id and payload", async () => {
    const sink = new CollectingSink();
    const k = makeKernel({ effectSink: sink, step: emitOnceThenComplete() });
    const status = await k.runUntilBlocked("run-effect-capture", 0);
    expect(status.type).toBe("completed");
    expect(sink.effects).toHaveLength(1);
    expect(sink.effects[0]?.effect).toEqual({ type: "StateWrite", stepId: "node1", payload: 1 });
  });

  it("run timeline after complete has events and json", async () => {
    const k = makeKernel();
    await k.runUntilBlocked("timeline-run", 0);
    const tl = await k.timeline("timeline-run");
    expect(tl.runId).toBe("timeline-run");
    expect(tl.events.map((e) => e.kind)).toContain("Completed");
    expect(JSON.stringify(tl)).toContain("Completed");
  });

  it("run_until_blocked then resume: a second kernel resumes the interrupt and completes", async () => {
    const events = new MemoryEventStore();
    const k = makeKernel({ events, step: interruptOnce(false) });
    expect((await k.runUntilBlocked("run-interrupt-resume", 0)).type).toBe("blocked");
    const k2 = makeKernel({ events, step: interruptOnce(true) });
    const status2 = await k2.resume("run-interrupt-resume", 0, 1);
    expect(status2.type).toBe("completed");
  });

  it("interrupt saves snapshot before returning blocked", async () => {
    const snapshots = new MemorySnapshotStore<TestState>();
    const k = makeKernel({ snapshots, step: interruptOnce(false) });
    const status = await k.runUntilBlocked("run-interrupt-checkpoint", 7);
    expect(status.type).toBe("blocked");
    const snapshot = await snapshots.loadLatest("run-interrupt-checkpoint");
    expect(snapshot?.atSeq).toBe(1);
    expect(snapshot?.state).toBe(7);
  });

  it("replay no side effects: replay must not call the executor", async () => {
    const events = new MemoryEventStore();
    await seedLog(events, "replay-no-effects", [
      { type: "StateUpdated", stepId: "n1", payload: 42 },
      { type: "Completed" },
    ]);
    const exec = new CountingExecutor();
    const state = await makeKernel({ events, executor: exec }).replay("replay-no-effects", 0);
    expect(state).toBe(42);
    expect(exec.calls).toBe(0);
  });

  it("replay state equivalence: the same log and initial state give equal state", async () => {
    const events = new MemoryEventStore();
    await seedLog(events, "replay-equiv", [
      { type: "StateUpdated", stepId: "a", payload: 10 },
      { type: "StateUpdated", stepId: "b", payload: 20 },
      { type: "Completed" },
    ]);
    const k = makeKernel({ events });
    const s1 = await k.replay("replay-equiv", 0);
    const s2 = await k.replay("replay-equiv", 0);
    expect(s1).toEqual(s2);
    expect(s1).toBe(20);
  });

  it("run_until_blocked retry then success: one ActionSucceeded and no ActionFailed", async () => {
    const events = new MemoryEventStore();
    const exec = new ScriptedExecutor([
      ActionError.transient("t1"),
      ActionError.transient("t2"),
      { type: "success", output: "ok" },
    ]);
    const k = makeKernel({
      events,
      executor: exec,
      step: doOnceThenComplete(),
      policy: new RetryWithBackoffPolicy(new AllowAllPolicy(), 3, 0),
    });
    expect((await k.runUntilBlocked("run-retry-ok", 0)).type).toBe("completed");
    const log = await events.read("run-retry-ok");
    expect(count(log, "ActionSucceeded")).toBe(1);
    expect(count(log, "ActionFailed")).toBe(0);
  });

  it("run_until_blocked failure recovery: the default policy fails (not recoverable) with requested and failed", async () => {
    const events = new MemoryEventStore();
    const k = makeKernel({ events, executor: new CountingExecutor(), step: doOnceThenComplete() });
    const status = await k.runUntilBlocked("run-fail", 0);
    expect(status).toMatchObject({ type: "failed", recoverable: false });
    const log = await events.read("run-fail");
    expect(count(log, "ActionRequested")).toBe(1);
    expect(count(log, "ActionFailed")).toBe(1);
  });

  it("replay from snapshot applies tail only: only events after atSeq 2 are applied", async () => {
    const events = new MemoryEventStore();
    await seedLog(events, "replay-snap", [
      { type: "StateUpdated", stepId: "a", payload: 10 },
      { type: "StateUpdated", stepId: "b", payload: 20 },
      { type: "StateUpdated", stepId: "c", payload: 30 },
      { type: "Completed" },
    ]);
    const snapshots = new MemorySnapshotStore<TestState>();
    await snapshots.save({ runId: "replay-snap", atSeq: 2, state: 20, stateVersion: 1 });
    const reducer = new CountingReducer();
    const state = await makeKernel({ events, snapshots, reducer }).replayFromSnapshot(
      "replay-snap",
      0,
    );
    expect(state).toBe(30);
    expect(reducer.calls).toBe(2);
  });

  it("run loop replays only tail after loading latest snapshot", async () => {
    const events = new MemoryEventStore();
    await seedLog(events, "run-tail-only", [
      { type: "StateUpdated", stepId: "a", payload: 1 },
      { type: "StateUpdated", stepId: "b", payload: 2 },
      { type: "StateUpdated", stepId: "c", payload: 3 },
    ]);
    const snapshots = new MemorySnapshotStore<TestState>();
    await snapshots.save({ runId: "run-tail-only", atSeq: 2, state: 2, stateVersion: 1 });
    const reducer = new CountingReducer();
    const k = makeKernel({ events, snapshots, reducer, step: noopStep } satisfies Partial<
      KernelOptions<TestState>
    >);
    expect((await k.runUntilBlocked("run-tail-only", 0)).type).toBe("completed");
    expect(reducer.calls).toBe(2);
    const snapshot = await snapshots.loadLatest("run-tail-only");
    expect(snapshot?.atSeq).toBe(4);
    expect(snapshot?.state).toBe(3);
  });

  it("action result failure returns failed and single terminal event with the requested action id", async () => {
    const events = new MemoryEventStore();
    const k = makeKernel({
      events,
      executor: new ScriptedExecutor([{ type: "failure", error: "boom" }]),
      step: doOnceThenComplete(),
    });
    expect(await k.runUntilBlocked("run-action-failure", 0)).toMatchObject({
      type: "failed",
      recoverable: false,
    });
    const log = await events.read("run-action-failure");
    const requested = log.find((se) => se.event.type === "ActionRequested")?.event;
    const failed = log.filter((se) => se.event.type === "ActionFailed").map((se) => se.event);
    expect(count(log, "ActionSucceeded")).toBe(0);
    expect(failed).toHaveLength(1);
    expect(requested && "actionId" in requested && requested.actionId).toBe(
      failed[0] && "actionId" in failed[0] && failed[0].actionId,
    );
  });

  it("retry then success has single terminal success event; the executor is called for each retry", async () => {
    const events = new MemoryEventStore();
    const exec = new ScriptedExecutor([
      ActionError.transient("transient-1"),
      ActionError.transient("transient-2"),
      { type: "success", output: "ok" },
    ]);
    const k = makeKernel({
      events,
      executor: exec,
      step: doOnceThenComplete(),
      policy: new RetryWithBackoffPolicy(new AllowAllPolicy(), 3, 0),
    });
    expect((await k.runUntilBlocked("run-retry-success", 0)).type).toBe("completed");
    expect(exec.calls).toBe(3);
    const log = await events.read("run-retry-success");
    expect(count(log, "ActionRequested")).toBe(1);
    expect(count(log, "ActionSucceeded")).toBe(1);
    expect(count(log, "ActionFailed")).toBe(0);
  });

  it("retry exhausted has single terminal failed event: max retries 1 executes twice", async () => {
    const events = new MemoryEventStore();
    const exec = new ScriptedExecutor([
      ActionError.transient("transient-1"),
      ActionError.transient("transient-2"),
      ActionError.transient("transient-3"),
    ]);
    const k = makeKernel({
      events,
      executor: exec,
      step: doOnceThenComplete(),
      policy: new RetryWithBackoffPolicy(new AllowAllPolicy(), 1, 0),
    });
    expect(await k.runUntilBlocked("run-retry-fail", 0)).toMatchObject({
      type: "failed",
      recoverable: false,
    });
    expect(exec.calls).toBe(2);
    const log = await events.read("run-retry-fail");
    expect(count(log, "ActionRequested")).toBe(1);
    expect(count(log, "ActionSucceeded")).toBe(0);
    expect(count(log, "ActionFailed")).toBe(1);
  });
});
