// The host: start, get, list, events, timeline, resume, signal, cancel, watch, versions, wakers.

import {
  type ActionResult,
  createHost,
  createMemoryHost,
  MemoryRunStore,
  NotBlockedError,
  RunNotFoundError,
  type SequencedEvent,
  ValidationError,
  workflow,
} from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";
import { ManualClock } from "runlog/testing";
import { describe, expect, it } from "vitest";
import { RecordingWaker, typesOf } from "../support/host-fixtures.ts";

const T0 = 1_800_000_000_000;
const memoryHost = (clock = new ManualClock(T0), waker = new RecordingWaker()) =>
  createMemoryHost({
    workflows: demoWorkflows,
    executor: demoExecutor(),
    clock,
    waker: waker.factory,
  });

describe("host: starting runs", () => {
  it("starts a run with RunStarted {workflow, input, version} first and runs it until it blocks", async () => {
    const host = memoryHost();
    const run = await host.start("demo.approval", { text: "hi" }, { runId: "r1", wait: true });
    expect(run).toMatchObject({
      runId: "r1",
      workflow: "demo.approval",
      version: 1,
      status: "blocked",
      existed: false,
    });
    expect(run.blocked?.interrupt?.value).toEqual({
      question: 'Publish "hi"?',
      draft: { text: "hi" },
    });
    const { events } = await host.events("r1");
    expect(events[0]?.event).toEqual({
      type: "RunStarted",
      workflow: "demo.approval",
      input: { text: "hi" },
      version: 1,
      format: 1,
      flags: ["agent.canonicalToolText"],
    });
    expect(typesOf(events)).toEqual([
      "RunStarted",
      "ActionRequested",
      "ActionSucceeded",
      "Interrupted",
    ]);
  });

  it("answers the existing run for a repeated runId, and refuses it for another workflow", async () => {
    const host = memoryHost();
    await host.start("demo.signal", {}, { runId: "same", wait: true });
    const again = await host.start("demo.signal", {}, { runId: "same" });
    expect(again).toMatchObject({ runId: "same", existed: true, status: "blocked" });
    await expect(host.start("demo.sleep", { ms: 1 }, { runId: "same" })).rejects.toMatchObject({
      code: "conflict",
    });
    expect((await host.events("same")).head).toBe(2);
  });

  it("refuses an unknown workflow, bad input and a bad run id with a clear error, writing nothing", async () => {
    const host = memoryHost();
    await expect(host.start("nope", {})).rejects.toThrow(
      /unknown workflow nope; this host has: demo.agent, demo.approval/,
    );
    await expect(host.start("demo.sleep", { ms: "soon" }, { runId: "bad" })).rejects.toThrow(
      /input.ms must be a number/,
    );
    await expect(host.start("demo.approval", {}, { runId: "bad" })).rejects.toThrow(
      /input.text is required/,
    );
    await expect(host.start("demo.sleep", { ms: 1 }, { runId: "../x" })).rejects.toSatisfy(
      (e: unknown) => ValidationError.is(e),
    );
    expect((await host.list()).runs).toEqual([]);
    await expect(host.get("bad")).rejects.toSatisfy((e: unknown) => RunNotFoundError.is(e));
  });
});

describe("host: a run's life", () => {
  it("resumes an interrupt once: a second resume is refused and appends nothing", async () => {
    const host = memoryHost();
    const run = await host.start("demo.approval", { text: "go" }, { runId: "r", wait: true });
    const done = await host.resume(
      "r",
      { approved: true },
      { interruptId: run.blocked?.interrupt?.id as string, wait: true },
    );
    expect(done).toMatchObject({ status: "completed", output: { approved: true, text: "go" } });
    await expect(host.resume("r", { approved: false })).rejects.toSatisfy((e: unknown) =>
      NotBlockedError.is(e),
    );
    expect((await host.events("r")).head).toBe(6);
  });

  it("lets exactly one of many concurrent resumes win", async () => {
    const host = memoryHost();
    await host.start("demo.approval", { text: "race" }, { runId: "race", wait: true });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => host.resume("race", { approved: i % 2 === 0 })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(
      results.filter((r) => r.status === "rejected" && NotBlockedError.is(r.reason)),
    ).toHaveLength(19);
    await host.idle("race");
    const { events } = await host.events("race");
    expect(typesOf(events).filter((t) => t === "Resumed")).toHaveLength(1);
  });

  it("delivers a signal to a waiting run, once per signalId", async () => {
    const host = memoryHost();
    await host.start("demo.signal", { name: "ship" }, { runId: "s", wait: true });
    expect((await host.get("s")).blocked).toEqual({ waitSignal: "ship" });
    await host.signal("s", "ship", { v: 1 }, { signalId: "k1", wait: true });
    expect(await host.get("s")).toMatchObject({ status: "completed", output: { v: 1 } });
    const repeat = await host.signal("s", "ship", { v: 1 }, { signalId: "k1" });
    expect(repeat.status).toBe("completed");
    // The same id for another value is not a repeat: refused, never dropped as one.
    await expect(host.signal("s", "ship", { v: 2 }, { signalId: "k1" })).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(host.signal("s", "ship", { v: 3 }, { signalId: "k2" })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(
      typesOf((await host.events("s")).events).filter((t) => t === "SignalReceived"),
    ).toHaveLength(1);
  });

  it("starts a workflow that declares its input with {} when no input is given", async () => {
    const host = memoryHost();
    expect(
      await host.start("demo.signal", undefined, { runId: "no-input", wait: true }),
    ).toMatchObject({
      status: "blocked",
      blocked: { waitSignal: "go" },
    });
  });

  it("verifies a run imported under a new id, and ends a watch that starts past a finished run's end", async () => {
    const host = memoryHost();
    await host.start("demo.approval", { text: "copy me" }, { runId: "orig", wait: true });
    await host.resume("orig", { approved: true }, { wait: true });
    const text = await host.exportRun("orig");
    await host.importRun(text, { runId: "copy" });
    expect(await host.verify("copy")).toMatchObject({ ok: true });
    const seen: number[] = [];
    for await (const se of host.watch("copy", { from: 7 })) seen.push(se.seq);
    expect(seen).toEqual([]);
  });

  it("cancels a blocked run and refuses to cancel an ended one", async () => {
    const host = memoryHost();
    await host.start("demo.signal", {}, { runId: "c", wait: true });
    expect(await host.cancel("c", "not needed")).toMatchObject({
      status: "cancelled",
      error: { code: "cancelled", message: "not needed" },
    });
    await expect(host.cancel("c")).rejects.toMatchObject({ code: "conflict" });
  });

  it("lists runs newest first with status filters and gives the timeline", async () => {
    const clock = new ManualClock(T0);
    const host = memoryHost(clock);
    await host.start("demo.signal", {}, { runId: "first", wait: true });
    clock.advance(10);
    await host.start("demo.approval", { text: "x" }, { runId: "second", wait: true });
    clock.advance(10);
    await host.start("demo.sleep", { ms: 0 }, { runId: "third", wait: true });
    expect((await host.list()).runs.map((r) => r.runId)).toEqual(["third", "second", "first"]);
    expect((await host.list({ status: "completed" })).runs.map((r) => r.runId)).toEqual(["third"]);
    expect((await host.timeline("second")).status).toBe("waiting_interrupt");
  });

  it("watches a run: the stored events, then each new one, ending after the run ends", async () => {
    const host = memoryHost();
    await host.start("demo.approval", { text: "w" }, { runId: "w", wait: true });
    const seen: SequencedEvent[] = [];
    const watching = (async () => {
      for await (const se of host.watch("w", { from: 2 })) seen.push(se);
    })();
    await new Promise((r) => setTimeout(r, 5));
    await host.resume("w", { approved: true }, { wait: true });
    await watching;
    expect(seen.map((e) => e.seq)).toEqual([2, 3, 4, 5, 6]);
    expect(seen.at(-1)?.event.type).toBe("Completed");
  });
});

describe("host: versions", () => {
  const v1 = workflow("greet", 1, function* (ctx) {
    const answer = yield* ctx.interrupt({ q: "name?" });
    return { hello: answer, version: 1 };
  });
  const v2 = workflow("greet", 2, function* (ctx) {
    const answer = yield* ctx.interrupt({ q: "name, please?" });
    return { hi: answer, version: 2 };
  });

  it("continues a run on the version it started with after a newer version is registered", async () => {
    const store = new MemoryRunStore();
    const old = createHost({ store, workflows: [v1] });
    await old.start("greet", null, { runId: "g1", wait: true });
    const both = createHost({ store, workflows: [v1, v2] });
    const newer = await both.start("greet", null, { runId: "g2", wait: true });
    expect(newer.version).toBe(2);
    expect(await both.resume("g1", "ada", { wait: true })).toMatchObject({
      version: 1,
      output: { hello: "ada", version: 1 },
    });
    expect(await both.resume("g2", "bob", { wait: true })).toMatchObject({
      version: 2,
      output: { hi: "bob", version: 2 },
    });
  });

  it("reports a run whose version is gone with a clear error and never advances it", async () => {
    const store = new MemoryRunStore();
    await createHost({ store, workflows: [v1] }).start("greet", null, {
      runId: "orphan",
      wait: true,
    });
    const only2 = createHost({ store, workflows: [v2] });
    const info = await only2.get("orphan");
    expect(info.error).toEqual({
      code: "workflow_unavailable",
      message:
        "run orphan started on greet v1, which this host no longer has (it has v2); it is not advanced",
    });
    await expect(only2.resume("orphan", "x")).rejects.toMatchObject({
      code: "workflow_unavailable",
    });
    await only2.wake("orphan");
    expect((await only2.events("orphan")).head).toBe(2);
  });
});

describe("host: durable timers through the waker", () => {
  it("schedules the waker at the sleep's time and completes when woken; a new host re-arms it", async () => {
    const store = new MemoryRunStore();
    const clock = new ManualClock(T0);
    const waker = new RecordingWaker();
    const host = createHost({ store, workflows: demoWorkflows, clock, waker: waker.factory });
    await host.start("demo.sleep", { ms: 60_000 }, { runId: "nap", wait: true });
    expect(waker.scheduled.get("nap")).toBe(T0 + 60_000);
    await host.close();
    const waker2 = new RecordingWaker();
    const restarted = createHost({ store, workflows: demoWorkflows, clock, waker: waker2.factory });
    expect(await restarted.recover()).toEqual({ woken: 0, rearmed: 1 });
    expect(waker2.scheduled.get("nap")).toBe(T0 + 60_000);
    clock.advance(60_000);
    expect(waker2.fireDue(clock)).toEqual(["nap"]);
    await restarted.idle("nap");
    expect(await restarted.get("nap")).toMatchObject({
      status: "completed",
      output: { sleptMs: 60_000 },
    });
  });

  it("wakes a short sleep with real timers", async () => {
    const host = createMemoryHost({ workflows: demoWorkflows });
    await host.start("demo.sleep", { ms: 30 }, { runId: "short", wait: true });
    await new Promise((r) => setTimeout(r, 80));
    await host.idle("short");
    expect((await host.get("short")).status).toBe("completed");
    await host.close();
  });

  it("re-drives a run that was running when its process stopped", async () => {
    const store = new MemoryRunStore();
    let calls = 0;
    const executor = {
      execute: (): ActionResult => (calls++, { type: "success", output: { text: "e" } }),
    };
    const first = createHost({
      store,
      workflows: demoWorkflows,
      executor: { execute: () => new Promise<ActionResult>(() => {}) },
    });
    void first.start("demo.approval", { text: "stuck" }, { runId: "stuck" });
    await new Promise((r) => setTimeout(r, 10));
    const second = createHost({ store, workflows: demoWorkflows, executor });
    expect(await second.recover()).toEqual({ woken: 1, rearmed: 0 });
    await second.idle("stuck");
    expect(calls).toBe(1);
    expect((await second.get("stuck")).status).toBe("blocked");
  });
});

describe("host: a signal sent while the run is busy", () => {
  it("is recorded at the drive's next step and answered then, not when the drive is over", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = workflow("slow-then-wait", 1, function* (ctx) {
      yield* ctx.tool("slow", null);
      yield* ctx.tool("slow", null);
      return yield* ctx.waitSignal("go");
    });
    let calls = 0;
    const executor = {
      execute: async (): Promise<ActionResult> => {
        calls += 1;
        if (calls === 1) await new Promise((r) => setTimeout(r, 20));
        else await gate;
        return { type: "success", output: null };
      },
    };
    const host = createHost({ store: new MemoryRunStore(), workflows: [slow], executor });
    await host.start("slow-then-wait", null, { runId: "busy" });
    const sent = host.signal("busy", "go", { v: 1 }, { signalId: "k" });
    const again = host.signal("busy", "go", { v: 1 }, { signalId: "k" });
    const answered = await Promise.race([
      Promise.all([sent, again]).then(() => "answered"),
      new Promise((r) => setTimeout(() => r("waited for the drive"), 500)),
    ]);
    expect(answered).toBe("answered");
    release();
    await host.idle("busy");
    expect(await host.get("busy")).toMatchObject({ status: "completed", output: { v: 1 } });
    const { events } = await host.events("busy");
    expect(typesOf(events).filter((t) => t === "SignalReceived")).toHaveLength(1);
  });
});
