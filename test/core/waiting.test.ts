// Departures 5-8: retries with durable backoff, durable timers, buffered signals, deterministic context.

import {
  ActionError,
  AllowAllPolicy,
  type Json,
  KernelMode,
  MemoryEventStore,
  NotBlockedError,
  type Reducer,
  RetryWithBackoffPolicy,
  type StepFn,
} from "runlog";
import { ManualClock } from "runlog/testing";
import { describe, expect, it } from "vitest";
import { count, makeKernel, ScriptedExecutor, SequenceStep } from "../support/kernel-fixtures.ts";

const T0 = 1_700_000_000_000;
type Outs = { outs: Json[] };
const outs: Reducer<Outs> = {
  apply: (s, se) =>
    se.event.type === "ActionSucceeded" ? { outs: [...s.outs, se.event.output] } : s,
};
/** Does `action` until one succeeds, then completes: a step that lives in state, not in call counts. */
const until = (action: import("runlog").Action): StepFn<Outs> => ({
  next: (s) => (s.outs.length === 0 ? { type: "do", action } : { type: "complete" }),
});
const none = { outs: [] } as Outs;
const types = async (events: MemoryEventStore, runId: string) =>
  (await events.read(runId)).map((e) => e.event.type);

const flaky = { type: "callTool", tool: "flaky", input: null } as const;

describe("5. retries", () => {
  const oneTool = () =>
    new SequenceStep([{ type: "do", action: { type: "callTool", tool: "flaky", input: null } }]);

  it("records each failed attempt as ActionAttemptFailed between one request and one outcome", async () => {
    const events = new MemoryEventStore();
    const exec = new ScriptedExecutor([
      ActionError.transient("t1"),
      ActionError.transient("t2"),
      { type: "success", output: 1 },
    ]);
    const k = makeKernel({
      events,
      executor: exec,
      step: oneTool(),
      policy: new RetryWithBackoffPolicy(new AllowAllPolicy(), 3, 0),
    });
    await k.runUntilBlocked("attempts", 0);
    expect(await types(events, "attempts")).toEqual([
      "ActionRequested",
      "ActionAttemptFailed",
      "ActionAttemptFailed",
      "ActionSucceeded",
      "Completed",
    ]);
    expect(exec.seen.map((s) => s.attempt)).toEqual([0, 1, 2]);
  });

  it("turns a long backoff into a durable wait that a fresh kernel finishes when it is due", async () => {
    const events = new MemoryEventStore();
    const clock = new ManualClock(T0);
    const policy = new RetryWithBackoffPolicy(new AllowAllPolicy(), 3, 5_000);
    const k1 = makeKernel({
      events,
      clock,
      policy,
      executor: new ScriptedExecutor([ActionError.transient("down")]),
      step: until(flaky) as never,
      reducer: outs as never,
    });
    expect(await k1.runUntilBlocked("backoff", none as never)).toEqual({
      type: "blocked",
      blocked: { retryAt: T0 + 5_000 },
    });
    const exec2 = new ScriptedExecutor([{ type: "success", output: "up" }]);
    const k2 = makeKernel({
      events,
      clock,
      policy,
      executor: exec2,
      step: until(flaky) as never,
      reducer: outs as never,
    });
    clock.advance(4_000);
    expect((await k2.runUntilBlocked("backoff", none as never)).type).toBe("blocked");
    expect(exec2.calls).toBe(0);
    clock.advance(1_000);
    expect((await k2.runUntilBlocked("backoff", none as never)).type).toBe("completed");
    expect(exec2.seen).toEqual([{ action: expect.anything(), actionId: "backoff:1", attempt: 1 }]);
    const log = await events.read("backoff");
    expect(count(log, "ActionRequested")).toBe(1);
    expect(log.find((e) => e.event.type === "ActionAttemptFailed")?.event).toMatchObject({
      retryAt: T0 + 5_000,
    });
  });

  it("honours a rate limit's retryAfterMs and never retries a permanent error", async () => {
    const clock = new ManualClock(T0);
    const policy = new RetryWithBackoffPolicy(new AllowAllPolicy(), 5, 10);
    const limited = makeKernel({
      clock,
      policy,
      executor: new ScriptedExecutor([ActionError.rateLimited("429", 30_000)]),
      step: oneTool(),
    });
    expect(await limited.runUntilBlocked("rl", 0)).toEqual({
      type: "blocked",
      blocked: { retryAt: T0 + 30_000 },
    });
    const events = new MemoryEventStore();
    const exec = new ScriptedExecutor([
      ActionError.permanent("bad request"),
      { type: "success", output: 1 },
    ]);
    const permanent = makeKernel({ events, clock, policy, executor: exec, step: oneTool() });
    expect(await permanent.runUntilBlocked("perm", 0)).toMatchObject({
      type: "failed",
      error: { kind: "permanent", message: "bad request" },
    });
    expect(exec.calls).toBe(1);
  });
});

describe("6. durable timers", () => {
  const sleeper = () => until({ type: "sleep", ms: 60_000 }) as never;

  it("blocks with timerAt, survives a restart, and records the outcome only when due", async () => {
    const events = new MemoryEventStore();
    const clock = new ManualClock(T0);
    expect(
      await makeKernel({ events, clock, step: sleeper(), reducer: outs as never }).runUntilBlocked(
        "nap",
        none as never,
      ),
    ).toEqual({ type: "blocked", blocked: { timerAt: T0 + 60_000 } });
    clock.advance(59_999);
    expect(
      (
        await makeKernel({
          events,
          clock,
          step: sleeper(),
          reducer: outs as never,
        }).runUntilBlocked("nap", none as never)
      ).type,
    ).toBe("blocked");
    expect(await types(events, "nap")).toEqual(["ActionRequested"]);
    clock.advance(1);
    expect(
      (
        await makeKernel({
          events,
          clock,
          step: sleeper(),
          reducer: outs as never,
        }).runUntilBlocked("nap", none as never)
      ).type,
    ).toBe("completed");
    const log = await events.read("nap");
    expect(log.map((e) => e.event.type)).toEqual([
      "ActionRequested",
      "ActionSucceeded",
      "Completed",
    ]);
    expect(log[1]?.ts).toBe(T0 + 60_000);
  });
});

describe("7. signals and resume", () => {
  const waiter = () =>
    new SequenceStep([{ type: "do", action: { type: "waitSignal", name: "go" } }]);

  it("buffers a signal that came early and lets waitSignal consume it", async () => {
    const events = new MemoryEventStore();
    const k = makeKernel({ events, step: { next: () => ({ type: "interrupt", value: "first" }) } });
    await k.runUntilBlocked("early", { outs: [] } as never);
    const k2 = makeKernel({ events, step: waiter() as never, reducer: outs as never });
    await k2.signal("early", { outs: [] } as never, "go", { n: 1 }, "sig-1").catch(() => undefined);
    const resumed = makeKernel({
      events,
      reducer: outs as never,
      step: new SequenceStep([{ type: "do", action: { type: "waitSignal", name: "go" } }]) as never,
    });
    expect(await resumed.resume("early", { outs: [] } as never, null)).toEqual({
      type: "completed",
    });
    const log = await events.read("early");
    expect(log.map((e) => e.event.type)).toEqual([
      "Interrupted",
      "SignalReceived",
      "Resumed",
      "ActionRequested",
      "ActionSucceeded",
      "Completed",
    ]);
    expect(log[4]?.event).toMatchObject({
      output: { name: "go", value: { n: 1 }, signalId: "sig-1" },
    });
  });

  it("blocks on waitSignal until the signal comes, and records a signalId once", async () => {
    const events = new MemoryEventStore();
    const k = makeKernel({ events, step: waiter(), reducer: outs as never });
    expect(await k.runUntilBlocked("wait", { outs: [] } as never)).toEqual({
      type: "blocked",
      blocked: { waitSignal: "go" },
    });
    expect((await k.signal("wait", { outs: [] } as never, "other", 1, "s-0")).type).toBe("blocked");
    expect((await k.signal("wait", { outs: [] } as never, "go", 2, "s-1")).type).toBe("completed");
    expect((await k.signal("wait", { outs: [] } as never, "go", 2, "s-1")).type).toBe("completed");
    await expect(k.signal("wait", { outs: [] } as never, "go", 3, "s-2")).rejects.toMatchObject({
      code: "conflict",
    });
    const log = await events.read("wait");
    expect(count(log, "SignalReceived")).toBe(2);
  });

  it("deduplicates a repeated signalId while the run waits", async () => {
    const events = new MemoryEventStore();
    const k = makeKernel({
      events,
      step: new SequenceStep([{ type: "do", action: { type: "waitSignal", name: "b" } }]),
    });
    await k.runUntilBlocked("dedupe", 0);
    await k.signal("dedupe", 0, "a", 1, "same");
    await k.signal("dedupe", 0, "a", 1, "same");
    expect(count(await events.read("dedupe"), "SignalReceived")).toBe(1);
  });

  it("refuses a resume when the run is not waiting on an interrupt, appending nothing", async () => {
    const events = new MemoryEventStore();
    const k = makeKernel({
      events,
      step: new SequenceStep([{ type: "interrupt", value: "q", interruptId: "ask-1" }]),
    });
    await expect(k.resume("nothing-yet", 0, 1)).rejects.toSatisfy((e: unknown) =>
      NotBlockedError.is(e),
    );
    await k.runUntilBlocked("r", 0);
    await expect(k.resume("r", 0, 1, { interruptId: "ask-2" })).rejects.toSatisfy((e: unknown) =>
      NotBlockedError.is(e),
    );
    expect(await events.head("r")).toBe(1);
    expect((await k.resume("r", 0, 1, { interruptId: "ask-1" })).type).toBe("completed");
    await expect(k.resume("r", 0, 1)).rejects.toSatisfy((e: unknown) => NotBlockedError.is(e));
    expect(await events.head("r")).toBe(3);
  });
});

describe("8. deterministic context", () => {
  it("gives now() as the ts of the last event and records random() so verify sees the same", async () => {
    const events = new MemoryEventStore();
    const clock = new ManualClock(T0);
    const seen: number[] = [];
    const step: StepFn<number> = {
      next: (s, ctx) => {
        seen.push(ctx.now());
        if (s === 0)
          return {
            type: "emit",
            events: [{ type: "StateUpdated", payload: Math.floor(ctx.random() * 1e6) }],
          };
        return { type: "complete", output: s };
      },
    };
    const k = makeKernel({ events, clock, step, random: { next: () => 0.123456789 } });
    clock.advance(500);
    expect(await k.runUntilBlocked("ctx", 0)).toEqual({ type: "completed", output: 123456 });
    expect(seen).toEqual([0, T0 + 500]);
    const log = await events.read("ctx");
    expect(log[0]?.event).toEqual({ type: "RandomDrawn", values: [0.123456789] });
    const verifier = makeKernel({
      events,
      step,
      mode: KernelMode.Verify,
      random: { next: () => 0.9 },
    });
    expect(await verifier.verify("ctx", 0)).toMatchObject({ ok: true });
  });

  it("traps clock and random access in replay and verify mode", () => {
    for (const mode of [KernelMode.Replay, KernelMode.Verify]) {
      const guard = makeKernel({ mode }).determinismGuard();
      expect(() => guard.checkClockAccess()).toThrow(/not allowed/);
      expect(() => guard.checkRandomAccess()).toThrow(/not allowed/);
      expect(() => guard.checkSpawn()).toThrow(/not allowed/);
    }
    expect(() =>
      makeKernel({ mode: KernelMode.Record }).determinismGuard().checkRandomAccess(),
    ).not.toThrow();
  });
});
