// Departures 1-4 from the seed: async, one writer per run, group commit, crash-safe actions.

import {
  type ActionExecutor,
  ConcurrencyError,
  type Event,
  type Json,
  MemoryEventStore,
  MemorySnapshotStore,
  type Next,
  type Reducer,
  type SequencedEvent,
  type StepFn,
  ValidationError,
} from "runlog";
import { describe, expect, it } from "vitest";
import { FaultStore, holds, SimulatedCrash } from "../support/fault-store.ts";
import {
  count,
  makeKernel,
  ScriptedExecutor,
  SequenceStep,
  type TestState,
} from "../support/kernel-fixtures.ts";

/** Counts StateUpdated events; completes at `n`. */
const countTo = (n: number): StepFn<TestState> => ({
  next: (s) =>
    s >= n
      ? { type: "complete" }
      : { type: "emit", events: [{ type: "StateUpdated", payload: s + 1 }] },
});

/** Calls tool `t` once, then completes with the tool's output. */
class ToolThenComplete implements StepFn<{ out?: Json }> {
  next(state: { out?: Json }): Next {
    return state.out === undefined
      ? { type: "do", action: { type: "callTool", tool: "t", input: { n: 1 } } }
      : { type: "complete", output: state.out };
  }
}
const outReducer: Reducer<{ out?: Json }> = {
  apply: (s, se) => (se.event.type === "ActionSucceeded" ? { out: se.event.output } : s),
};

describe("1. async everywhere", () => {
  it("drives a run whose store, step and executor all answer with promises", async () => {
    const delay = () => new Promise((r) => setTimeout(r, 1));
    const inner = new MemoryEventStore();
    const events = {
      append: async (...a: Parameters<MemoryEventStore["append"]>) => (
        await delay(), inner.append(...a)
      ),
      read: async (...a: Parameters<MemoryEventStore["read"]>) => (await delay(), inner.read(...a)),
      head: async (id: string) => (await delay(), inner.head(id)),
    };
    const step: StepFn<TestState> = {
      next: async (s) => (
        await delay(),
        s >= 1
          ? { type: "complete" }
          : { type: "do", action: { type: "callTool", tool: "x", input: null } }
      ),
    };
    const executor: ActionExecutor = {
      execute: async () => (await delay(), { type: "success", output: 1 }),
    };
    const reducer: Reducer<TestState> = {
      apply: (s, se) => (se.event.type === "ActionSucceeded" ? 1 : s),
    };
    const k = makeKernel({ events, step, executor, reducer });
    expect((await k.runUntilBlocked("async-1", 0)).type).toBe("completed");
    expect((await inner.read("async-1")).map((e) => e.event.type)).toEqual([
      "ActionRequested",
      "ActionSucceeded",
      "Completed",
    ]);
  });
});

describe("2. one writer per run", () => {
  it("makes one store round trip per commit: the head stays in memory", async () => {
    const store = new FaultStore(new MemoryEventStore());
    const k = makeKernel({ events: store, step: countTo(50) });
    await k.runUntilBlocked("one-trip", 0);
    expect(store.appends).toBe(51);
    expect(store.heads + store.reads).toBeLessThanOrEqual(1);
  });

  it("lets two kernels on one run race: one gets ConcurrencyError, the log stays valid", async () => {
    const events = new MemoryEventStore();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: ActionExecutor = {
      execute: async () => (await gate, { type: "success", output: "a" }),
    };
    const fast: ActionExecutor = { execute: () => ({ type: "success", output: "b" }) };
    const a = makeKernel({
      events,
      executor: slow,
      step: new ToolThenComplete() as never,
      reducer: outReducer as never,
    });
    const b = makeKernel({
      events,
      executor: fast,
      step: new ToolThenComplete() as never,
      reducer: outReducer as never,
    });
    const first = a.runUntilBlocked("race-1", {} as never);
    await new Promise((r) => setTimeout(r, 5));
    const second = await b.runUntilBlocked("race-1", {} as never);
    release();
    await expect(first).rejects.toSatisfy((e: unknown) => ConcurrencyError.is(e));
    expect(second.type).toBe("completed");
    const log = await events.read("race-1");
    expect(log.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(count(log, "ActionRequested")).toBe(1);
    expect(count(log, "ActionSucceeded")).toBe(1);
  });
});

describe("3. group commit", () => {
  it("commits recorded randomness with the decision it fed, in one append", async () => {
    const store = new FaultStore(new MemoryEventStore());
    const step: StepFn<TestState> = {
      next: (s, ctx) =>
        s === 0
          ? {
              type: "emit",
              events: [
                { type: "StateUpdated", payload: Math.round(ctx.random() * 100) + 1 },
                { type: "StateUpdated", payload: 7 },
              ],
            }
          : { type: "complete" },
    };
    await makeKernel({ events: store, step, random: { next: () => 0.5 } }).runUntilBlocked(
      "group-1",
      0,
    );
    expect(store.batches[0]?.map((e) => e.event.type)).toEqual([
      "RandomDrawn",
      "StateUpdated",
      "StateUpdated",
    ]);
    expect(store.batches).toHaveLength(2);
  });

  it("snapshots every 64 events and when the run ends, not after every event", async () => {
    const saves: number[] = [];
    const snapshots = new MemorySnapshotStore<TestState>();
    const spy = {
      loadLatest: snapshots.loadLatest.bind(snapshots),
      save: async (s: Parameters<typeof snapshots.save>[0]) => (
        saves.push(s.atSeq), snapshots.save(s)
      ),
    };
    await makeKernel({ snapshots: spy, step: countTo(150) }).runUntilBlocked("cadence", 0);
    expect(saves).toEqual([64, 128, 151]);
  });

  it("hands the snapshot to the append itself when one store keeps both", async () => {
    const appended: { seq: number; snapshotAt?: number }[] = [];
    const inner = new MemoryEventStore();
    const snaps = new MemorySnapshotStore<TestState>();
    const combined = {
      append: async (
        runId: string,
        batch: readonly SequencedEvent[],
        o: Parameters<MemoryEventStore["append"]>[2],
      ) => {
        appended.push({
          seq: batch[batch.length - 1]?.seq ?? 0,
          ...(o.snapshot ? { snapshotAt: o.snapshot.atSeq } : {}),
        });
        await inner.append(runId, batch, o);
        if (o.snapshot) await snaps.save(o.snapshot as never);
      },
      read: inner.read.bind(inner),
      head: inner.head.bind(inner),
      loadLatest: snaps.loadLatest.bind(snaps),
      save: async () => {
        throw new Error("a combined store gets its snapshot inside append");
      },
    };
    await makeKernel({
      events: combined,
      snapshots: combined,
      step: countTo(2),
      snapshotEvery: 2,
    }).runUntilBlocked("combined", 0);
    expect(appended).toEqual([{ seq: 1 }, { seq: 2, snapshotAt: 2 }, { seq: 3, snapshotAt: 3 }]);
  });
});

describe("4. crash-safe actions", () => {
  const toolLog = (log: SequencedEvent[]) => log.map((e) => e.event.type);

  it("re-executes the same actionId once after dying between ActionRequested and the executor", async () => {
    const store = new FaultStore(new MemoryEventStore());
    store.crash = { when: "after", match: holds("ActionRequested") };
    const first = new ScriptedExecutor([{ type: "success", output: "never" }]);
    const k1 = makeKernel({
      events: store,
      executor: first,
      step: new ToolThenComplete() as never,
      reducer: outReducer as never,
    });
    await expect(k1.runUntilBlocked("crash-1", {} as never)).rejects.toBeInstanceOf(SimulatedCrash);
    expect(first.calls).toBe(0);
    const second = new ScriptedExecutor([{ type: "success", output: "done" }]);
    const k2 = makeKernel({
      events: store,
      executor: second,
      step: new ToolThenComplete() as never,
      reducer: outReducer as never,
    });
    expect(await k2.runUntilBlocked("crash-1", {} as never)).toEqual({
      type: "completed",
      output: "done",
    });
    expect(second.seen.map((s) => s.actionId)).toEqual(["crash-1:1"]);
    expect(toolLog(await store.read("crash-1"))).toEqual([
      "ActionRequested",
      "ActionSucceeded",
      "Completed",
    ]);
  });

  it("re-executes with the same actionId when the outcome's commit was lost, never a second request", async () => {
    const store = new FaultStore(new MemoryEventStore());
    store.crash = { when: "before", match: holds("ActionSucceeded") };
    const first = new ScriptedExecutor([{ type: "success", output: "lost" }]);
    const k1 = makeKernel({
      events: store,
      executor: first,
      step: new ToolThenComplete() as never,
      reducer: outReducer as never,
    });
    await expect(k1.runUntilBlocked("crash-2", {} as never)).rejects.toBeInstanceOf(SimulatedCrash);
    const second = new ScriptedExecutor([{ type: "success", output: "kept" }]);
    const k2 = makeKernel({
      events: store,
      executor: second,
      step: new ToolThenComplete() as never,
      reducer: outReducer as never,
    });
    expect(await k2.runUntilBlocked("crash-2", {} as never)).toEqual({
      type: "completed",
      output: "kept",
    });
    expect([...first.seen, ...second.seen].map((s) => s.actionId)).toEqual([
      "crash-2:1",
      "crash-2:1",
    ]);
    const log = await store.read("crash-2");
    expect(count(log, "ActionRequested")).toBe(1);
    expect(count(log, "ActionSucceeded")).toBe(1);
  });

  it("never executes again an action whose outcome is recorded, when dying right after that commit", async () => {
    const store = new FaultStore(new MemoryEventStore());
    store.crash = { when: "after", match: holds("ActionSucceeded") };
    const exec = new ScriptedExecutor([{ type: "success", output: "once" }]);
    const k1 = makeKernel({
      events: store,
      executor: exec,
      step: new ToolThenComplete() as never,
      reducer: outReducer as never,
    });
    await expect(k1.runUntilBlocked("crash-3", {} as never)).rejects.toBeInstanceOf(SimulatedCrash);
    const k2 = makeKernel({
      events: store,
      executor: exec,
      step: new ToolThenComplete() as never,
      reducer: outReducer as never,
    });
    expect(await k2.runUntilBlocked("crash-3", {} as never)).toEqual({
      type: "completed",
      output: "once",
    });
    expect(exec.calls).toBe(1);
  });

  it("makes action ids deterministic: <runId>:<seq of the request>", async () => {
    const events = new MemoryEventStore();
    const step = new SequenceStep([
      { type: "emit", events: [{ type: "StateUpdated", payload: 1 }] },
      { type: "do", action: { type: "callTool", tool: "a", input: null } },
      { type: "do", action: { type: "callTool", tool: "b", input: null } },
    ]);
    await makeKernel({ events, step }).runUntilBlocked("ids", 0);
    const ids = (await events.read("ids")).flatMap((e: SequencedEvent<Event>) =>
      e.event.type === "ActionRequested" ? [e.event.actionId] : [],
    );
    expect(ids).toEqual(["ids:2", "ids:4"]);
  });
});

describe("an output the store refuses", () => {
  it("is recorded as the action's final failure instead of running the action forever", async () => {
    const inner = new MemoryEventStore();
    const picky = {
      append: async (...a: Parameters<MemoryEventStore["append"]>) => {
        const big = a[1].some(
          (se) =>
            se.event.type === "ActionSucceeded" && JSON.stringify(se.event.output).length > 100,
        );
        if (big) throw new ValidationError("event too large for this store");
        return inner.append(...a);
      },
      read: inner.read.bind(inner),
      head: inner.head.bind(inner),
    };
    const exec = new ScriptedExecutor([{ type: "success", output: "x".repeat(500) }]);
    const k = makeKernel({
      events: picky,
      executor: exec,
      step: new ToolThenComplete() as never,
      reducer: outReducer as never,
    });
    expect(await k.runUntilBlocked("refused", {} as never)).toMatchObject({
      type: "failed",
      error: {
        kind: "permanent",
        code: "output_refused",
        message: expect.stringMatching(/event too large/),
      },
    });
    expect(exec.calls).toBe(1);
    expect((await inner.read("refused")).map((e) => e.event.type)).toEqual([
      "ActionRequested",
      "ActionFailed",
    ]);
  });
});
