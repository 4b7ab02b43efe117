// Live workflows: straight-line and async code keeps running between decisions while the process
// lives, and replays from the log only when it must.

import {
  type ActionExecutor,
  type ActionResult,
  createHost,
  type LineState,
  MemoryRunStore,
  type SequencedEvent,
  type WorkflowContext,
  workflow,
} from "runlog";
import { describe, expect, it } from "vitest";
import { LineLog } from "../../src/workflow/line-log.ts";
import { initLineState, lineResults } from "../../src/workflow/line-state.ts";
import { lineReducer } from "../../src/workflow/straight-line.ts";

/** Doubles numbers; counts executions. */
const doubler = (): ActionExecutor & { calls: number } => {
  const ex = {
    calls: 0,
    execute(_runId: string, action: Parameters<ActionExecutor["execute"]>[1]): ActionResult {
      ex.calls += 1;
      if (action.type !== "callTool") throw new Error("tools only");
      return { type: "success", output: (action.input as number) * 2 };
    },
  };
  return ex;
};

/** A generator and an async workflow of `steps` tool calls and one interrupt halfway; counts body starts. */
function counted(steps: number, pauses = [Math.floor(steps / 2)]) {
  const starts = { gen: 0, async: 0 };
  const gen = workflow<number, number>("steps-gen", 1, function* (ctx, input) {
    starts.gen += 1;
    let x = input;
    for (let i = 0; i < steps; i++) {
      x = (yield* ctx.tool<number>("double", x)) % 1_000_003;
      if (pauses.includes(i)) yield* ctx.interrupt({ at: i });
    }
    return x;
  });
  const asy = workflow<number, number>("steps-async", 1, async (ctx, input) => {
    starts.async += 1;
    let x = input;
    for (let i = 0; i < steps; i++) {
      x = (await ctx.tool<number>("double", x)) % 1_000_003;
      if (pauses.includes(i)) await ctx.interrupt({ at: i });
    }
    return x;
  });
  return { starts, workflows: [gen, asy] };
}

function expected(steps: number, input: number): number {
  let x = input;
  for (let i = 0; i < steps; i++) x = (x * 2) % 1_000_003;
  return x;
}

describe("live workflows", () => {
  for (const kind of ["gen", "async"] as const) {
    it(`${kind}: runs the body once for a whole run in one process, and verify still re-drives it`, async () => {
      const { starts, workflows } = counted(40);
      const host = createHost({ store: new MemoryRunStore(), workflows, executor: doubler() });
      await host.start(`steps-${kind}`, 3, { runId: "r", wait: true });
      expect((await host.get("r")).status).toBe("blocked");
      const done = await host.resume("r", true, { wait: true });
      expect(done).toMatchObject({ status: "completed", output: expected(40, 3) });
      expect(starts[kind]).toBe(1);
      const report = await host.verify("r");
      expect(report.ok).toBe(true);
      // verify never uses the run's live code: it starts the body once more, from the log's start,
      // and continues it from decision to decision (each compared), so its cost is linear.
      expect(starts[kind]).toBe(2);
      expect(report.decisions).toBe(42);
    });

    it(`${kind}: verify re-drives the code from the start, so code that decides otherwise on another start is reported`, async () => {
      let starts = 0;
      const body = {
        gen: function* (ctx: WorkflowContext<null>) {
          starts += 1;
          const tool = starts === 1 ? "double" : "triple";
          let x = 1;
          for (let i = 0; i < 5; i++) x = yield* ctx.tool<number>(i === 3 ? tool : "double", x);
          return x;
        },
        async: async (ctx: WorkflowContext<null>) => {
          starts += 1;
          const tool = starts === 1 ? "double" : "triple";
          let x = 1;
          for (let i = 0; i < 5; i++) x = await ctx.tool<number>(i === 3 ? tool : "double", x);
          return x;
        },
      }[kind];
      const wf = workflow<null, number>("drifts", 1, body);
      const executor: ActionExecutor = {
        execute: (_runId, action): ActionResult => ({
          type: "success",
          output: ((action as { input: number }).input ?? 0) * 2,
        }),
      };
      const host = createHost({ store: new MemoryRunStore(), workflows: [wf], executor });
      const done = await host.start("drifts", null, { runId: "d", wait: true });
      expect(done).toMatchObject({ status: "completed", output: 32 });
      expect(starts).toBe(1);
      const report = await host.verify("d");
      expect(report.ok).toBe(false);
      // RunStarted, then requests and outcomes: the fourth request is at seq 8.
      expect(report.divergedAt).toBe(8);
      expect(report.message).toContain("triple");
    });

    it(`${kind}: replays from the log after a restart, and when another host moved the run`, async () => {
      const store = new MemoryRunStore();
      const one = counted(10);
      const a = createHost({ store, workflows: one.workflows, executor: doubler() });
      await a.start(`steps-${kind}`, 5, { runId: "r", wait: true });
      expect(one.starts[kind]).toBe(1);
      // Another host (another process) answers the interrupt and finishes the run.
      const two = counted(10);
      const b = createHost({ store, workflows: two.workflows, executor: doubler() });
      const done = await b.resume("r", true, { wait: true });
      expect(done).toMatchObject({ status: "completed", output: expected(10, 5) });
      expect(two.starts[kind]).toBe(1);
      expect(one.starts[kind]).toBe(1);
    });

    it(`${kind}: a kept continuation is not reused when the log moved past it`, async () => {
      const store = new MemoryRunStore();
      const body = counted(10, [2, 6]);
      const a = createHost({ store, workflows: body.workflows, executor: doubler() });
      await a.start(`steps-${kind}`, 7, { runId: "r", wait: true });
      expect(body.starts[kind]).toBe(1);
      // Another host answers the first interrupt and drives the run on to the second one.
      const b = createHost({
        store,
        workflows: counted(10, [2, 6]).workflows,
        executor: doubler(),
      });
      await b.resume("r", true, { wait: true });
      // Host A's kernel now sees a tail it did not produce: its kept code waits on the first
      // interrupt, so it must not be continued; the run replays and ends right.
      expect(await a.resume("r", true, { wait: true })).toMatchObject({
        status: "completed",
        output: expected(10, 7),
      });
      expect(body.starts[kind]).toBe(2);
    });

    it(`${kind}: a continuation is reused when the log moved by exactly the answer it waits on`, async () => {
      const store = new MemoryRunStore();
      const body = counted(10);
      const a = createHost({ store, workflows: body.workflows, executor: doubler() });
      await a.start(`steps-${kind}`, 7, { runId: "r", wait: true });
      const info = await a.get("r");
      const interruptId = info.blocked?.interrupt?.id as string;
      // Another writer appends the answer; it is the log's, so the kept code may take it.
      await store.append(
        "r",
        [
          {
            seq: info.head + 1,
            ts: Date.now(),
            event: { type: "Resumed", interruptId, value: true },
          },
        ],
        { expectedHead: info.head },
      );
      await a.wake("r");
      await a.idle("r");
      expect(await a.get("r")).toMatchObject({ status: "completed", output: expected(10, 7) });
      expect(body.starts[kind]).toBe(1);
    });
  }

  it("keeps at most maxLiveRuns continuations: an evicted run replays, and still ends right", async () => {
    const { starts, workflows } = counted(4);
    const host = createHost({
      store: new MemoryRunStore(),
      workflows,
      executor: doubler(),
      maxLiveRuns: 2,
    });
    for (const id of ["a", "b", "c"]) await host.start("steps-gen", 1, { runId: id, wait: true });
    expect(starts.gen).toBe(3);
    for (const id of ["c", "b", "a"]) {
      expect(await host.resume(id, true, { wait: true })).toMatchObject({
        status: "completed",
        output: expected(4, 1),
      });
    }
    // c and b were still kept; a was evicted when c started, so it replayed once.
    expect(starts.gen).toBe(4);
  });

  it("two hosts on two stores never share continuations for runs of the same id", async () => {
    const one = counted(6);
    const two = counted(6);
    const a = createHost({
      store: new MemoryRunStore(),
      workflows: one.workflows,
      executor: doubler(),
    });
    const b = createHost({
      store: new MemoryRunStore(),
      workflows: two.workflows,
      executor: doubler(),
    });
    await a.start("steps-async", 1, { runId: "same", wait: true });
    await b.start("steps-async", 2, { runId: "same", wait: true });
    expect(await b.resume("same", true, { wait: true })).toMatchObject({ output: expected(6, 2) });
    expect(await a.resume("same", true, { wait: true })).toMatchObject({ output: expected(6, 1) });
    expect([one.starts.async, two.starts.async]).toEqual([1, 1]);
  });

  it("snapshots of a straight-line run keep none of its results: their size does not grow with the run", async () => {
    const store = new MemoryRunStore();
    const snapshots: { atSeq: number; bytes: number }[] = [];
    const append = store.append.bind(store);
    store.append = (runId, events, options) => {
      const s = options?.snapshot;
      if (s) snapshots.push({ atSeq: s.atSeq, bytes: JSON.stringify(s.state).length });
      return append(runId, events, options);
    };
    const { workflows } = counted(2_000, [1_500]);
    const host = createHost({ store, workflows, executor: doubler() });
    await host.start("steps-gen", 1, { runId: "long", wait: true });
    expect((await host.get("long")).status).toBe("blocked");
    // 3,000 events before the interrupt: a snapshot every 64 events, each the same few bytes.
    expect(snapshots.slice(0, 4).map((s) => s.atSeq)).toEqual([64, 128, 192, 256]);
    expect(snapshots.length).toBeGreaterThan(40);
    const sizes = new Set(snapshots.map((s) => s.bytes));
    expect(Math.max(...sizes)).toBeLessThan(200);
    // Only the digits of counts and ids differ from one to the next.
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(40);
    const last = await store.loadLatest("long");
    const kept = last?.state as { results: unknown; count: number };
    expect(kept.results).toEqual({});
    expect(kept.count).toBe(1_501);
    // A host that never saw the run restores it from that snapshot and folds the results back
    // from the log: its code replays over all 1,501 of them and ends with the right output.
    const { starts, workflows: again } = counted(2_000, [1_500]);
    const fresh = createHost({ store, workflows: again, executor: doubler() });
    const fromStart: number[] = [];
    const read = store.read.bind(store);
    store.read = (runId, fromSeq, limit) => {
      // (The host reads the first event alone to learn the run's workflow and input.)
      if ((fromSeq ?? 1) === 1 && limit !== 1) fromStart.push(limit ?? Number.POSITIVE_INFINITY);
      return read(runId, fromSeq, limit);
    };
    // Where the run stands comes from the snapshot alone: the history stays in the log.
    expect((await fresh.get("long")).status).toBe("blocked");
    expect(fromStart).toEqual([]);
    const done = await fresh.resume("long", true, { wait: true });
    // The code needed its results: one read of the events up to the snapshot brought them back.
    expect(fromStart).toEqual([last?.atSeq]);
    expect(done).toMatchObject({ status: "completed", output: expected(2_000, 1) });
    expect(starts.gen).toBe(1);
    expect((await fresh.verify("long")).ok).toBe(true);
  });

  it("restores a snapshot written before results were left out of it as it is", async () => {
    const old = {
      input: 7,
      startedAt: 5,
      results: [
        { ok: true, value: 14, ts: 6 },
        { ok: true, value: 99, ts: 7 },
      ],
      count: 1,
      randoms: [0.5],
    } as unknown as LineState<unknown>;
    const history = async (): Promise<SequencedEvent[]> => {
      throw new Error("an old snapshot holds its results: the log is not read");
    };
    const state = await lineReducer.restore?.(old, history);
    expect(state?.count).toBe(1);
    expect(state?.drawn).toBe(1);
    expect(state && lineResults(state)).toEqual([{ ok: true, value: 14, ts: 6 }]);
    expect(state?.randoms.at(0)).toBe(0.5);
  });

  it("a restored line log loads its leading entries once, when first needed, and branches like any other", async () => {
    let loads = 0;
    const log = LineLog.deferred<number>(3, async () => {
      loads += 1;
      return [10, 11, 12, 99];
    });
    const a = log.appended(3, [13]);
    expect(a).toBe(log);
    const b = log.appended(2, [20]);
    expect(b).not.toBe(log);
    expect(() => a.at(0)).toThrow(/not loaded yet/);
    expect(a.at(3)).toBe(13);
    await Promise.all([a.ready(), a.ready()]);
    await b.ready();
    expect(a.toArray()).toEqual([10, 11, 12, 13]);
    expect(b.toArray()).toEqual([10, 11, 20]);
    expect(loads).toBe(2);
    expect(JSON.stringify({ a })).toBe('{"a":{}}');
    // A read that fails is tried again at the next call.
    let tries = 0;
    const flaky = LineLog.deferred<number>(1, async () => {
      tries += 1;
      if (tries === 1) throw new Error("the store is away");
      return [1];
    });
    await expect(flaky.ready()).rejects.toThrow("the store is away");
    await flaky.ready();
    expect(flaky.at(0)).toBe(1);
  });

  it("the line reducer appends without copying, and a state keeps only its own results", () => {
    let state = initLineState<unknown>(null);
    const first = state.results;
    const at = (seq: number, output: number): SequencedEvent => ({
      seq,
      ts: seq,
      event: { type: "StateUpdated", payload: output },
    });
    for (let i = 1; i <= 10_000; i++) state = lineReducer.apply(state, at(i, i));
    expect(state.results).toBe(first);
    expect(state.count).toBe(10_000);
    const older = state;
    const a = lineReducer.apply(older, at(10_001, 1));
    const b = lineReducer.apply(older, at(10_001, 2));
    // b branched from the same older state after a: it gets its own copy, a keeps its value.
    expect(a.results.at(10_000)).toMatchObject({ value: 1 });
    expect(b.results.at(10_000)).toMatchObject({ value: 2 });
    expect(b.results).not.toBe(a.results);
    expect(older.count).toBe(10_000);
  });
});
