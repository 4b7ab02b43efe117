// Abortable actions: a cancel aborts the tool or LLM call in flight at once and records it as
// cancelled; a per-action timeout uses the same signal.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type AbortSignalLike,
  createExecutor,
  createHost,
  createOpenAIProvider,
  defineTool,
  MemoryRunStore,
  type SequencedEvent,
  ToolRegistry,
  workflow,
} from "runlog";
import { afterEach, describe, expect, it } from "vitest";

const anything = { safeParse: (v: unknown) => ({ success: true as const, data: v }) };

/** Tools that wait until aborted (`obedient`), or ignore the signal and answer when told (`deaf`). */
function waitingTools() {
  const signals: AbortSignalLike[] = [];
  let answerDeaf: (v: string) => void = () => undefined;
  const obedient = defineTool({
    name: "obedient",
    description: "waits for its signal",
    input: anything,
    handler: (_input, ctx) =>
      new Promise<string>((_resolve, reject) => {
        signals.push(ctx.signal);
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
      }),
  });
  const deaf = defineTool({
    name: "deaf",
    description: "ignores its signal",
    input: anything,
    handler: (_input, ctx) => {
      signals.push(ctx.signal);
      return new Promise<string>((resolve) => {
        answerDeaf = resolve;
      });
    },
  });
  return {
    signals,
    answerDeaf: (v: string) => answerDeaf(v),
    executor: createExecutor({ tools: new ToolRegistry([obedient, deaf]) }),
  };
}

const oneTool = (name: string) => workflow(`one-${name}`, 1, async (ctx) => ctx.tool(name, null));

const threeTools = workflow("three", 1, async (ctx) =>
  Promise.all([ctx.tool("obedient", 1), ctx.tool("deaf", 2), ctx.tool("obedient", 3)]),
);

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(check()).toBe(true);
}

const kinds = (events: readonly SequencedEvent[]) =>
  events.map((se) =>
    se.event.type === "ActionFailed" ? `ActionFailed ${se.event.error.kind}` : se.event.type,
  );

describe("abortable actions", () => {
  for (const name of ["obedient", "deaf"]) {
    it(`cancel during a ${name} tool aborts its signal, records the call as cancelled and ends the run`, async () => {
      const store = new MemoryRunStore();
      const tools = waitingTools();
      const host = createHost({ store, workflows: [oneTool(name)], executor: tools.executor });
      await host.start(`one-${name}`, null, { runId: "c" });
      await until(() => tools.signals.length === 1);
      const info = await host.cancel("c", "user stopped it");
      expect(info).toMatchObject({ status: "cancelled" });
      expect(tools.signals[0]?.aborted).toBe(true);
      // A late answer from a handler that ignored its signal is never recorded.
      tools.answerDeaf("too late");
      await host.idle("c");
      await new Promise((r) => setTimeout(r, 10));
      const log = await store.read("c");
      expect(kinds(log)).toEqual([
        "RunStarted",
        "ActionRequested",
        "ActionFailed cancelled",
        "Cancelled",
      ]);
      expect(log[3]?.event).toEqual({ type: "Cancelled", reason: "user stopped it" });
      expect(log[2]?.event).toMatchObject({ error: { code: "cancelled" } });
    });
  }

  it("cancel during parallel calls aborts each of them and records each as cancelled", async () => {
    const store = new MemoryRunStore();
    const tools = waitingTools();
    const host = createHost({ store, workflows: [threeTools], executor: tools.executor });
    await host.start("three", null, { runId: "p" });
    await until(() => tools.signals.length === 3);
    expect(await host.cancel("p")).toMatchObject({ status: "cancelled" });
    expect(tools.signals.every((s) => s.aborted)).toBe(true);
    expect(kinds(await store.read("p"))).toEqual([
      "RunStarted",
      "ActionRequested",
      "ActionRequested",
      "ActionRequested",
      "ActionFailed cancelled",
      "ActionFailed cancelled",
      "ActionFailed cancelled",
      "Cancelled",
    ]);
    // The log with cancelled calls still imports as a consistent one.
    const copy = createHost({ store: new MemoryRunStore(), workflows: [threeTools] });
    await expect(copy.importRun(await host.exportRun("p"), { runId: "q" })).resolves.toBeDefined();
  });

  it("a per-action timeout aborts the call through the same signal: a transient failure, code timeout", async () => {
    const tools = waitingTools();
    const timed = workflow("timed", 1, async (ctx) => {
      try {
        await ctx.tool("obedient", null, { timeoutMs: 30, onFailure: "continue" });
        return "no";
      } catch (error) {
        return `caught ${(error as { kind?: string }).kind}: ${(error as Error).message}`;
      }
    });
    const store = new MemoryRunStore();
    const host = createHost({ store, workflows: [timed], executor: tools.executor });
    const done = await host.start("timed", null, { runId: "t", wait: true });
    expect(done).toMatchObject({ status: "completed" });
    expect(String(done.output)).toMatch(/^caught transient: .*timeout of 30 ms/);
    expect(tools.signals[0]?.aborted).toBe(true);
    const failed = (await store.read("t")).find((se) => se.event.type === "ActionFailed");
    expect(failed?.event).toMatchObject({ error: { kind: "transient", code: "timeout" } });
  });

  describe("the OpenAI-compatible provider", () => {
    const servers: Server[] = [];
    afterEach(async () => {
      for (const s of servers.splice(0)) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
    });

    it("passes the signal to fetch: a cancel closes the HTTP request in flight", async () => {
      let requests = 0;
      let closed = false;
      const server = createServer((req, res) => {
        requests += 1;
        req.resume();
        res.on("close", () => {
          closed = true;
        });
      });
      servers.push(server);
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const { port } = server.address() as AddressInfo;
      const llm = createOpenAIProvider({
        baseUrl: `http://127.0.0.1:${port}/v1`,
        model: "m",
        timeoutMs: 60_000,
      });
      const asks = workflow("asks", 1, async (ctx) =>
        ctx.llm({ messages: [{ role: "user", content: "hi" }] }, { provider: "openai" }),
      );
      const store = new MemoryRunStore();
      const host = createHost({
        store,
        workflows: [asks],
        executor: createExecutor({ providers: [llm] }),
      });
      await host.start("asks", null, { runId: "o" });
      await until(() => requests === 1);
      expect(await host.cancel("o")).toMatchObject({ status: "cancelled" });
      await until(() => closed);
      expect(kinds(await store.read("o"))).toEqual([
        "RunStarted",
        "ActionRequested",
        "ActionFailed cancelled",
        "Cancelled",
      ]);
    });
  });
});
