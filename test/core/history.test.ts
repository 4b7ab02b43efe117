// Departures 9-14: verify and hashes, budgets, timeline, fork, export/import, state versions.

import {
  type ActionResult,
  AllowAllPolicy,
  AllowListPolicy,
  exportRun,
  forkRun,
  importRun,
  type Json,
  KernelMode,
  MemoryEventStore,
  MemorySnapshotStore,
  NondeterminismError,
  type Reducer,
  type StepFn,
  ValidationError,
} from "runlog";
import { MemoryHashStore } from "runlog/store-kit";
import { ManualClock } from "runlog/testing";
import { describe, expect, it } from "vitest";
import { count, makeKernel, ScriptedExecutor } from "../support/kernel-fixtures.ts";

const T0 = 1_700_000_000_000;

/** An approval flow: tool, interrupt, complete with the answer. */
interface Flow {
  tool?: Json;
  answer?: Json;
}
const flowReducer: Reducer<Flow> = {
  apply: (s, se) => {
    if (se.event.type === "ActionSucceeded") return { ...s, tool: se.event.output };
    if (se.event.type === "Resumed") return { ...s, answer: se.event.value };
    return s;
  },
};
const flow = (toolName = "echo"): StepFn<Flow> => ({
  next: (s) => {
    if (s.tool === undefined)
      return { type: "do", action: { type: "callTool", tool: toolName, input: { text: "hi" } } };
    if (s.answer === undefined) return { type: "interrupt", value: { question: "ok?" } };
    return { type: "complete", output: s.answer };
  },
});
const echo = () => new ScriptedExecutor([{ type: "success", output: "hi" }]);

async function recordedFlow() {
  const events = new MemoryEventStore();
  const hashes = new MemoryHashStore();
  const k = makeKernel({
    events,
    hashes,
    mode: KernelMode.Record,
    executor: echo(),
    step: flow() as never,
    reducer: flowReducer as never,
  });
  await k.runUntilBlocked("flow", {} as never);
  await k.resume("flow", {} as never, { approved: true });
  return { events, hashes };
}

describe("9. verify", () => {
  it("re-drives the step over the log without executing and stores/checks the hash from record mode", async () => {
    const { events, hashes } = await recordedFlow();
    const exec = new ScriptedExecutor([]);
    const verifier = makeKernel({
      events,
      hashes,
      mode: KernelMode.Verify,
      executor: exec,
      step: flow() as never,
      reducer: flowReducer as never,
    });
    const report = await verifier.verify("flow", {} as never);
    expect(report).toMatchObject({ ok: true, hashMatches: true, decisions: 3, head: 5 });
    expect(await verifier.runUntilBlocked("flow", {} as never)).toEqual({
      type: "completed",
      output: { approved: true },
    });
    expect(exec.calls).toBe(0);
  });

  it("reports a step changed after recording at its first diverging seq", async () => {
    const { events } = await recordedFlow();
    const changed = makeKernel({
      events,
      mode: KernelMode.Verify,
      step: flow("shout") as never,
      reducer: flowReducer as never,
    });
    const report = await changed.verify("flow", {} as never);
    expect(report.ok).toBe(false);
    expect(report.divergedAt).toBe(1);
    expect(report.message).toMatch(/shout/);
    await expect(changed.runUntilBlocked("flow", {} as never)).rejects.toSatisfy(
      (e: unknown) => NondeterminismError.is(e) && e.seq === 1,
    );
  });

  it("fails verify when the log no longer has the hash recorded for it", async () => {
    const { hashes, events } = await recordedFlow();
    const copy = new MemoryEventStore();
    const log = await events.read("flow");
    const forged = log.map((se) =>
      se.event.type === "Resumed"
        ? { ...se, event: { ...se.event, value: { approved: false } } }
        : se,
    );
    await copy.append("flow", forged, { expectedHead: 0 });
    const report = await makeKernel({
      events: copy,
      hashes,
      step: flow() as never,
      reducer: flowReducer as never,
    }).verify("flow", {} as never);
    expect(report).toMatchObject({ ok: false, hashMatches: false });
  });
});

describe("10. budgets and policy", () => {
  const loop: StepFn<number> = {
    next: (s) => ({ type: "do", action: { type: "callTool", tool: "t", input: s } }),
  };
  const counter: Reducer<number> = {
    apply: (s, se) => (se.event.type === "ActionSucceeded" ? s + 1 : s),
  };
  const always = {
    execute: () => ({ type: "success", output: { usage: { total_tokens: 40 } } }) as const,
  };

  it("fails the action over the tool-call budget without running it", async () => {
    const events = new MemoryEventStore();
    let runs = 0;
    const executor = {
      execute: (): ActionResult => {
        runs++;
        return { type: "success", output: null };
      },
    };
    const k = makeKernel({
      events,
      executor,
      step: loop,
      reducer: counter,
      policy: new AllowAllPolicy({ maxToolCalls: 3 }),
    });
    expect(await k.runUntilBlocked("budget", 0)).toMatchObject({
      type: "failed",
      error: { kind: "budget" },
    });
    expect(runs).toBe(3);
    const log = await events.read("budget");
    expect(count(log, "ActionRequested")).toBe(4);
    expect(count(log, "ActionFailed")).toBe(1);
  });

  it("stops LLM calls once the recorded token usage reaches the budget", async () => {
    const llm: StepFn<number> = {
      next: () => ({ type: "do", action: { type: "callLLM", provider: "scripted", input: {} } }),
    };
    const k = makeKernel({
      executor: always,
      step: llm,
      reducer: counter,
      policy: new AllowAllPolicy({ maxLlmTokens: 100 }),
    });
    expect(await k.runUntilBlocked("tokens", 0)).toMatchObject({
      type: "failed",
      error: { kind: "budget", message: expect.stringMatching(/120 used/) },
    });
  });

  it("bounds the number of actions with maxSteps", async () => {
    const k = makeKernel({
      executor: always,
      step: loop,
      reducer: counter,
      policy: new AllowAllPolicy({ maxSteps: 2 }),
    });
    expect(await k.runUntilBlocked("steps", 0)).toMatchObject({
      type: "failed",
      error: { kind: "budget" },
    });
  });

  it("records a denied action as requested then failed with kind denied; an empty allow list allows nothing", async () => {
    const events = new MemoryEventStore();
    const exec = new ScriptedExecutor([]);
    const k = makeKernel({
      events,
      executor: exec,
      step: loop,
      reducer: counter,
      policy: new AllowListPolicy({}),
    });
    expect(await k.runUntilBlocked("denied", 0)).toMatchObject({
      type: "failed",
      error: { kind: "denied", message: expect.stringMatching(/"t" is not on the allow list/) },
    });
    expect((await events.read("denied")).map((e) => e.event.type)).toEqual([
      "ActionRequested",
      "ActionFailed",
    ]);
    expect(exec.calls).toBe(0);
    const sleeps = makeKernel({
      step: {
        next: (s: number) =>
          s ? { type: "complete" } : { type: "do", action: { type: "sleep", ms: 0 } },
      },
      reducer: counter,
      policy: new AllowListPolicy({}),
    });
    expect((await sleeps.runUntilBlocked("sleep-ok", 0)).type).toBe("completed");
  });
});

describe("11. timeline", () => {
  it("has ts, durations and a final status that tells what a blocked run waits on", async () => {
    const events = new MemoryEventStore();
    const clock = new ManualClock(T0);
    const executor = {
      execute: (): ActionResult => {
        clock.advance(250);
        return { type: "success", output: "hi" };
      },
    };
    const k = makeKernel({
      events,
      clock,
      executor,
      step: flow() as never,
      reducer: flowReducer as never,
    });
    await k.runUntilBlocked("tl", {} as never);
    let tl = await k.timeline("tl");
    expect(tl.status).toBe("waiting_interrupt");
    expect(tl.actions).toEqual([
      expect.objectContaining({ name: "echo", outcome: "succeeded", durationMs: 250, attempts: 1 }),
    ]);
    clock.advance(1_000);
    await k.resume("tl", {} as never, "yes");
    tl = await k.timeline("tl");
    expect(tl.status).toBe("completed");
    expect(tl.events.map((e) => e.kind)).toEqual([
      "ActionRequested",
      "ActionSucceeded",
      "Interrupted",
      "Resumed",
      "Completed",
    ]);
    expect(tl.events[1]?.durationMs).toBe(250);
    expect(tl.events[3]?.durationMs).toBe(1_000);
    expect(tl.durationMs).toBe(1_250);
    const sleeping = makeKernel({
      clock,
      step: { next: () => ({ type: "do", action: { type: "sleep", ms: 10 } }) },
    });
    await sleeping.runUntilBlocked("tl-sleep", 0);
    expect((await sleeping.timeline("tl-sleep")).status).toBe("waiting_timer");
  });
});

describe("12. fork", () => {
  it("copies the log up to a seq, records an alternate answer, and continues live", async () => {
    const { events } = await recordedFlow();
    const copied = await forkRun(events, "flow", 3, "flow-no", {
      clock: new ManualClock(T0 + 9),
      alternate: [{ type: "Resumed", interruptId: "flow:3", value: { approved: false } }],
    });
    expect(copied.map((e) => e.event.type)).toEqual([
      "ActionRequested",
      "ActionSucceeded",
      "Interrupted",
      "Forked",
      "Resumed",
    ]);
    const k = makeKernel({ events, step: flow() as never, reducer: flowReducer as never });
    expect(await k.runUntilBlocked("flow-no", {} as never)).toEqual({
      type: "completed",
      output: { approved: false },
    });
    expect((await k.verify("flow-no", {} as never)).ok).toBe(true);
    expect(await events.head("flow")).toBe(5);
    await expect(forkRun(events, "flow", 9, "x", { clock: new ManualClock() })).rejects.toSatisfy(
      (e: unknown) => ValidationError.is(e),
    );
    await expect(
      forkRun(events, "flow", 2, "flow-no", { clock: new ManualClock() }),
    ).rejects.toMatchObject({ code: "conflict" });
  });
});

describe("13. export and import", () => {
  it("round-trips a run as NDJSON with the same hash, and refuses a cut export whole", async () => {
    const { events } = await recordedFlow();
    const text = await exportRun(events, "flow");
    expect(text.split("\n").filter(Boolean)).toHaveLength(6);
    const target = new MemoryEventStore();
    const imported = await importRun(target, text);
    expect(imported.head).toBe(5);
    expect(await exportRun(target, "flow")).toBe(text);
    await expect(importRun(target, text)).rejects.toMatchObject({ code: "conflict" });
    const lines = text.split("\n");
    const cut = [lines[0], ...lines.slice(1, 4)].join("\n");
    const fresh = new MemoryEventStore();
    await expect(importRun(fresh, cut)).rejects.toThrow(/header says 5 events but it holds 3/);
    const reordered = [lines[0], lines[2], lines[1], ...lines.slice(3)].join("\n");
    await expect(importRun(fresh, reordered)).rejects.toThrow(
      /line 2 of the export has seq 2, expected 1/,
    );
    expect(await fresh.head("flow")).toBe(0);
  });
});

describe("14. state versions", () => {
  const counter: Reducer<{ n: number }> = {
    apply: (s, se) => (se.event.type === "StateUpdated" ? { n: s.n + 1 } : s),
  };
  const step: StepFn<{ n: number }> = {
    next: (s) =>
      s.n >= 3
        ? { type: "complete" }
        : { type: "emit", events: [{ type: "StateUpdated", payload: s.n }] },
  };

  it("ignores a snapshot of another state version and replays the log, unless a migration is registered", async () => {
    const events = new MemoryEventStore();
    const snapshots = new MemorySnapshotStore<{ n: number }>();
    await makeKernel({
      events,
      snapshots: snapshots as never,
      step: step as never,
      reducer: counter as never,
    }).runUntilBlocked("v", { n: 0 } as never);
    const v1 = await snapshots.loadLatest("v");
    expect(v1).toMatchObject({ atSeq: 4, stateVersion: 1, state: { n: 3 } });
    await snapshots.save({ ...(v1 as NonNullable<typeof v1>), state: { n: 999 } });
    const v2 = makeKernel({
      events,
      snapshots: snapshots as never,
      reducer: counter as never,
      stateVersion: 2,
    });
    expect(await v2.replayFromSnapshot("v", { n: 0 } as never)).toEqual({ n: 3 });
    const migrating = makeKernel({
      events,
      snapshots: snapshots as never,
      reducer: counter as never,
      stateVersion: 2,
      migrations: { 1: (s: unknown) => ({ n: (s as { n: number }).n + 1000 }) } as never,
    });
    expect(await migrating.replayFromSnapshot("v", { n: 0 } as never)).toEqual({ n: 1999 });
  });
});

describe("a fork in the run index", () => {
  it("lists as created when it was forked, not when its source started", async () => {
    const { createMemoryHost } = await import("runlog");
    const { demoExecutor, demoWorkflows } = await import("runlog/demos");
    const clock = new ManualClock(T0);
    const host = createMemoryHost({ workflows: demoWorkflows, executor: demoExecutor(), clock });
    await host.start("demo.approval", { text: "f" }, { runId: "src", wait: true });
    clock.advance(5_000);
    const fork = await host.fork("src", 4, { newRunId: "forked", wait: true });
    expect(fork.createdAt).toBe(T0 + 5_000);
    await host.resume("forked", { approved: true }, { wait: true });
    expect((await host.get("forked")).createdAt).toBe(T0 + 5_000);
    expect((await host.list()).runs.map((r) => r.runId)).toEqual(["forked", "src"]);
  });
});
