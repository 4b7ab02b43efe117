// Straight-line workflows: generators and async functions compiled to the kernel's step by replay.

import {
  ActionError,
  type ActionExecutor,
  type ActionResult,
  createHost,
  MemoryRunStore,
  workflow,
} from "runlog";
import type { HostStore } from "runlog/store-kit";
import { ManualClock } from "runlog/testing";
import { describe, expect, it } from "vitest";
import { FaultStore, SimulatedCrash } from "../support/fault-store.ts";
import { RecordingWaker, typesOf } from "../support/host-fixtures.ts";

const T0 = 1_800_000_000_000;

/** A tool executor that counts executions per actionId and doubles numbers. */
class CountingTools implements ActionExecutor {
  readonly runs = new Map<string, number>();
  execute(
    _runId: string,
    action: Parameters<ActionExecutor["execute"]>[1],
    ctx: { actionId: string },
  ): ActionResult {
    this.runs.set(ctx.actionId, (this.runs.get(ctx.actionId) ?? 0) + 1);
    if (action.type !== "callTool") throw new Error("tools only");
    if (action.tool === "fail") throw ActionError.permanent("it broke");
    return { type: "success", output: (action.input as number) * 2 };
  }
}

const pipeline = workflow<number, number>("pipeline", 1, function* (ctx, input) {
  const a = yield* ctx.tool<number>("double", input);
  yield* ctx.sleep(1_000);
  const b = yield* ctx.tool<number>("double", a);
  const approved = yield* ctx.interrupt({ b });
  const c = yield* ctx.tool<number>("double", approved === true ? b : 0);
  return c;
});

const asyncPipeline = workflow<number, number>("pipeline-async", 1, async (ctx, input) => {
  const a = await ctx.tool<number>("double", input);
  await ctx.sleep(1_000);
  const b = await ctx.tool<number>("double", a);
  const approved = await ctx.interrupt({ b });
  return ctx.tool<number>("double", approved === true ? b : 0);
});

/** Drives a pipeline run to the end through its sleep and interrupt. */
async function runToEnd(
  store: HostStore,
  executor: ActionExecutor,
  name: string,
  clock: ManualClock,
) {
  const waker = new RecordingWaker();
  const host = createHost({
    store,
    workflows: [pipeline, asyncPipeline],
    executor,
    clock,
    waker: waker.factory,
  });
  await host.recover();
  await host.start(name, 3, { runId: "p", wait: true });
  for (let i = 0; i < 10; i++) {
    waker.fireDue(clock);
    await host.idle("p");
    const now = await host.get("p");
    if (now.status !== "blocked") return now;
    if (now.blocked?.timerAt !== undefined) {
      clock.set(Math.max(clock.now(), now.blocked.timerAt));
      waker.fireDue(clock);
    } else if (now.blocked?.interrupt) {
      await host.resume("p", true, { wait: true });
    }
  }
  return host.get("p");
}

describe("straight-line workflows", () => {
  for (const name of ["pipeline", "pipeline-async"]) {
    it(`${name}: runs ordinary code through tools, a durable sleep and an interrupt`, async () => {
      const store = new MemoryRunStore();
      const tools = new CountingTools();
      const done = await runToEnd(store, tools, name, new ManualClock(T0));
      expect(done).toMatchObject({ status: "completed", output: 24 });
      expect([...tools.runs.values()]).toEqual([1, 1, 1]);
      expect(typesOf(await store.read("p"))).toEqual([
        "RunStarted",
        "ActionRequested",
        "ActionSucceeded",
        "ActionRequested",
        "ActionSucceeded",
        "ActionRequested",
        "ActionSucceeded",
        "Interrupted",
        "Resumed",
        "ActionRequested",
        "ActionSucceeded",
        "Completed",
      ]);
    });
  }

  it("survives a crash at every commit: completes once, each request executed once unless its outcome was lost", async () => {
    const reference = new MemoryRunStore();
    await runToEnd(reference, new CountingTools(), "pipeline", new ManualClock(T0));
    const expected = typesOf(await reference.read("p"));
    for (let crashAt = 1; crashAt <= 12; crashAt++) {
      for (const when of ["before", "after"] as const) {
        const inner = new MemoryRunStore();
        const faulty = new FaultStore(inner) as unknown as HostStore;
        let commits = 0;
        Object.assign(faulty, {
          loadLatest: inner.loadLatest.bind(inner),
          save: inner.save.bind(inner),
          getRun: inner.getRun.bind(inner),
          listRuns: inner.listRuns.bind(inner),
          wakingRuns: inner.wakingRuns.bind(inner),
        });
        (faulty as unknown as FaultStore).crash = { when, match: () => ++commits === crashAt };
        const tools = new CountingTools();
        const clock = new ManualClock(T0);
        let crashed = false;
        try {
          await runToEnd(faulty, tools, "pipeline", clock);
        } catch (error) {
          crashed = error instanceof SimulatedCrash;
        }
        // A fresh host on the same store picks the run up where the log says.
        const after = await runToEnd(inner, tools, "pipeline", clock).catch(() => undefined);
        const log = await inner.read("p");
        expect({ crashAt, when, types: typesOf(log) }).toEqual({ crashAt, when, types: expected });
        expect(after?.output ?? (await inner.getRun("p"))?.status).toBeDefined();
        const requested = log.flatMap((e) =>
          e.event.type === "ActionRequested" && e.event.action.type === "callTool"
            ? [e.event.actionId]
            : [],
        );
        expect(new Set(requested).size).toBe(requested.length);
        for (const id of requested) expect(tools.runs.get(id) ?? 0).toBeLessThanOrEqual(2);
        const twice = [...tools.runs.values()].filter((n) => n === 2).length;
        expect(twice).toBeLessThanOrEqual(when === "before" ? 1 : 0);
        void crashed;
      }
    }
  });

  it("lets code catch a failure it asked to continue on", async () => {
    const tolerant = workflow("tolerant", 1, function* (ctx) {
      try {
        yield* ctx.tool("fail", 1, { onFailure: "continue" });
        return "unreachable";
      } catch (error) {
        return `caught: ${(error as Error).message}`;
      }
    });
    const host = createHost({
      store: new MemoryRunStore(),
      workflows: [tolerant],
      executor: new CountingTools(),
    });
    expect(await host.start("tolerant", null, { runId: "t", wait: true })).toMatchObject({
      status: "completed",
      output: "caught: it broke",
    });
  });

  it("gives code deterministic now() and random() that verify replays", async () => {
    const clocked = workflow("clocked", 1, function* (ctx) {
      const first = ctx.now();
      const roll = Math.floor(ctx.random() * 100);
      yield* ctx.record("roll", roll);
      yield* ctx.sleep(0);
      return { first, roll, later: ctx.now() };
    });
    const clock = new ManualClock(T0);
    const host = createHost({
      store: new MemoryRunStore(),
      workflows: [clocked],
      clock,
      random: { next: () => 0.42 },
    });
    const done = await host.start("clocked", null, { runId: "c", wait: true });
    expect(done.output).toEqual({ first: T0, roll: 42, later: T0 });
    expect((await host.verify("c")).ok).toBe(true);
  });

  it("reports a code change that no longer matches the log through verify, at the first diverging seq", async () => {
    const store = new MemoryRunStore();
    const tools = new CountingTools();
    await runToEnd(store, tools, "pipeline", new ManualClock(T0));
    const changed = workflow<number, number>("pipeline", 1, function* (ctx, input) {
      const a = yield* ctx.tool<number>("double", input);
      const b = yield* ctx.tool<number>("double", a);
      return b;
    });
    const report = await createHost({ store, workflows: [changed] }).verify("p");
    expect(report.ok).toBe(false);
    expect(report.divergedAt).toBe(4);
    expect(report.message).toMatch(/nondeterminism at seq 4/);
  });
});
