// Parallel effects: tool and LLM calls asked for together are requested in one commit, run
// concurrently, recorded as they finish, and matched to the code by action id.

import {
  type Action,
  type ActionExecutor,
  type ActionResult,
  AllowAllPolicy,
  createHost,
  type ExecuteContext,
  MemoryRunStore,
  type SequencedEvent,
  workflow,
} from "runlog";
import { describe, expect, it } from "vitest";
import { makeKernel, SequenceStep } from "../support/kernel-fixtures.ts";

/** A tool executor whose calls finish only when the test releases them, by tool input `id`. */
class GateTools implements ActionExecutor {
  readonly started: { id: string; actionId: string; signal: ExecuteContext["signal"] }[] = [];
  readonly #waiting = new Map<string, (r: ActionResult) => void>();
  running = 0;
  maxRunning = 0;

  execute(_runId: string, action: Action, ctx: ExecuteContext): Promise<ActionResult> {
    if (action.type !== "callTool") throw new Error("tools only");
    const { id, value, fail } = action.input as { id: string; value: number; fail?: boolean };
    this.started.push({ id, actionId: ctx.actionId, signal: ctx.signal });
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    return new Promise<ActionResult>((resolve) => {
      this.#waiting.set(id, (r) => {
        this.running -= 1;
        resolve(r);
      });
    }).then((r) =>
      fail
        ? { type: "failure", error: `${id} broke` }
        : r.type === "success"
          ? { type: "success", output: value * 10 }
          : r,
    );
  }

  /** Waits until `n` calls have started. */
  async until(n: number): Promise<void> {
    for (let i = 0; i < 500 && this.started.length < n; i++)
      await new Promise((r) => setTimeout(r, 2));
    expect(this.started.length).toBeGreaterThanOrEqual(n);
  }

  release(id: string): void {
    const go = this.#waiting.get(id);
    if (!go) throw new Error(`${id} is not waiting`);
    this.#waiting.delete(id);
    go({ type: "success", output: null });
  }
}

const tool = (id: string, value: number, fail = false) => ({
  id,
  value,
  ...(fail ? { fail } : {}),
});

const fanAsync = workflow<null, number[]>("fan-async", 1, async (ctx) => {
  const [a, b, c] = await Promise.all([
    ctx.tool<number>("t", tool("a", 1)),
    ctx.tool<number>("t", tool("b", 2)),
    ctx.tool<number>("t", tool("c", 3)),
  ]);
  const d = await ctx.tool<number>("t", tool("d", a + b + c));
  return [a, b, c, d];
});

const fanGen = workflow<null, number[]>("fan-gen", 1, function* (ctx) {
  const [a, b, c] = yield* ctx.all([
    ctx.tool<number>("t", tool("a", 1)),
    ctx.tool<number>("t", tool("b", 2)),
    ctx.tool<number>("t", tool("c", 3)),
  ]);
  const d = yield* ctx.tool<number>("t", tool("d", a + b + c));
  return [a, b, c, d];
});

const typeAndId = (events: readonly SequencedEvent[]) =>
  events.map((se) => {
    const e = se.event;
    return "actionId" in e ? `${e.type} ${(e as { actionId: string }).actionId}` : e.type;
  });

describe("parallel effects", () => {
  for (const wf of [fanAsync, fanGen]) {
    it(`${wf.name}: starts the calls together, records outcomes as they arrive, gives results in request order`, async () => {
      const store = new MemoryRunStore();
      const tools = new GateTools();
      const host = createHost({ store, workflows: [wf], executor: tools });
      await host.start(wf.name, null, { runId: "f" });
      await tools.until(3);
      // All three run at once; they finish in the order c, a, b.
      expect(tools.maxRunning).toBe(3);
      tools.release("c");
      tools.release("a");
      tools.release("b");
      await tools.until(4);
      tools.release("d");
      await host.idle("f");
      expect(await host.get("f")).toMatchObject({ status: "completed", output: [10, 20, 30, 600] });
      const log = await store.read("f");
      // The three requests are one commit: consecutive seqs with one ts, ids by seq.
      const requests = log.filter((se) => se.event.type === "ActionRequested").slice(0, 3);
      expect(requests.map((r) => r.seq)).toEqual([2, 3, 4]);
      expect(new Set(requests.map((r) => r.ts)).size).toBe(1);
      expect(typeAndId(log)).toEqual([
        "RunStarted",
        "ActionRequested f:2",
        "ActionRequested f:3",
        "ActionRequested f:4",
        "ActionSucceeded f:4",
        "ActionSucceeded f:2",
        "ActionSucceeded f:3",
        "ActionRequested f:8",
        "ActionSucceeded f:8",
        "Completed",
      ]);
      // Verify and a fresh host reproduce the same decisions from this arrival order.
      expect((await host.verify("f")).ok).toBe(true);
      const again = createHost({ store, workflows: [wf], executor: tools });
      expect((await again.verify("f")).ok).toBe(true);
      expect(await again.replay("f")).toMatchObject({ count: 4 });
    });
  }

  it("a restart with several requested, unfinished calls runs each again with its own action id", async () => {
    const store = new MemoryRunStore();
    const first = new GateTools();
    const host = createHost({ store, workflows: [fanAsync], executor: first });
    await host.start("fan-async", null, { runId: "crash" });
    await first.until(3);
    first.release("b");
    // b's outcome is committed; a and c are still in flight when the process "dies".
    for (let i = 0; i < 100; i++) {
      if ((await store.read("crash")).some((se) => se.event.type === "ActionSucceeded")) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    const second = new GateTools();
    const restarted = createHost({ store, workflows: [fanAsync], executor: second });
    await restarted.recover();
    await second.until(2);
    expect(second.started.map((s) => [s.id, s.actionId])).toEqual([
      ["a", "crash:2"],
      ["c", "crash:4"],
    ]);
    second.release("c");
    second.release("a");
    await second.until(3);
    second.release("d");
    await restarted.idle("crash");
    expect(await restarted.get("crash")).toMatchObject({
      status: "completed",
      output: [10, 20, 30, 600],
    });
    expect((await restarted.verify("crash")).ok).toBe(true);
  });

  it("a call that fails the run stops its siblings: their signals abort and nothing more is recorded", async () => {
    const failing = workflow("fan-fail", 1, async (ctx) => {
      await Promise.all([ctx.tool("t", tool("a", 1)), ctx.tool("t", tool("b", 2, true))]);
      return "unreachable";
    });
    const store = new MemoryRunStore();
    const tools = new GateTools();
    const host = createHost({ store, workflows: [failing], executor: tools });
    await host.start("fan-fail", null, { runId: "ff" });
    await tools.until(2);
    tools.release("b");
    await host.idle("ff");
    expect(await host.get("ff")).toMatchObject({ status: "failed" });
    expect(tools.started[0]?.signal?.aborted).toBe(true);
    expect(typeAndId(await store.read("ff"))).toEqual([
      "RunStarted",
      "ActionRequested ff:2",
      "ActionRequested ff:3",
      "ActionFailed ff:3",
    ]);
  });

  it("a run with parallel calls exports and imports as a consistent log", async () => {
    const store = new MemoryRunStore();
    const tools = new GateTools();
    const host = createHost({ store, workflows: [fanGen], executor: tools });
    await host.start("fan-gen", null, { runId: "x" });
    await tools.until(3);
    for (const id of ["b", "c", "a"]) tools.release(id);
    await tools.until(4);
    tools.release("d");
    await host.idle("x");
    const copy = createHost({ store: new MemoryRunStore(), workflows: [fanGen], executor: tools });
    await copy.importRun(await host.exportRun("x"), { runId: "y" });
    expect((await copy.verify("y")).ok).toBe(true);
  });

  it("effects that are not tool or LLM calls are not batched: a sleep beside a tool comes after it", async () => {
    const mixed = workflow("mixed", 1, async (ctx) => {
      const [v] = await Promise.all([ctx.tool<number>("t", tool("a", 1)), ctx.sleep(0)]);
      return v;
    });
    const store = new MemoryRunStore();
    const tools = new GateTools();
    const host = createHost({ store, workflows: [mixed], executor: tools });
    await host.start("mixed", null, { runId: "m" });
    await tools.until(1);
    tools.release("a");
    await host.idle("m");
    expect(await host.get("m")).toMatchObject({ status: "completed", output: 10 });
    expect(typeAndId(await store.read("m"))).toEqual([
      "RunStarted",
      "ActionRequested m:2",
      "ActionSucceeded m:2",
      "ActionRequested m:4",
      "ActionSucceeded m:4",
      "Completed",
    ]);
  });

  it("kernel: doAll counts budgets across the batch and records a refusal without running it", async () => {
    const call = (n: number): Action => ({
      type: "callTool",
      tool: "t",
      input: n,
      onFailure: "continue",
    });
    const executor = {
      calls: 0,
      execute(): ActionResult {
        executor.calls += 1;
        return { type: "success", output: null };
      },
    };
    const k = makeKernel({
      step: new SequenceStep([{ type: "doAll", actions: [call(1), call(2), call(3)] }]),
      executor,
      policy: new AllowAllPolicy({ maxToolCalls: 2 }),
    });
    expect(await k.runUntilBlocked("b", 0)).toMatchObject({ type: "completed" });
    expect(executor.calls).toBe(2);
    const log = await k.events.read("b", 1);
    expect(log.slice(0, 4).map((se) => se.event.type)).toEqual([
      "ActionRequested",
      "ActionRequested",
      "ActionRequested",
      "ActionFailed",
    ]);
    expect(log[3]?.event).toMatchObject({ actionId: "b:3", error: { kind: "budget" } });
  });

  it("kernel: doAll of a sleep is refused with a clear error and appends nothing", async () => {
    const k = makeKernel({
      step: new SequenceStep([{ type: "doAll", actions: [{ type: "sleep", ms: 5 }] }]),
    });
    await expect(k.runUntilBlocked("s", 0)).rejects.toThrow(/doAll runs tool and LLM calls.*sleep/);
    expect(await k.events.head("s")).toBe(0);
  });
});
