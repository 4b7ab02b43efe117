// IdbStore's contract in Node, on fake-indexeddb: fast, and a check that the store uses the factory
// it is given. Never a substitute for the Chromium suite in test/browser/idb-store.test.ts.

import {
  createExecutor,
  defineTool,
  KernelError,
  type SequencedEvent,
  s,
  ToolRegistry,
  workflow,
} from "runlog";
import { createBrowserHost, IdbStore } from "runlog/idb";
import { sequence } from "runlog/store-kit";
import { describeHostStore } from "runlog/store-kit/conformance";
import { describe, expect, it } from "vitest";
import { createSchema1Db } from "../browser/idb-schema-1.ts";
import { IDBFactory, installFakeIdbClasses } from "../support/fake-idb.ts";

const globalsBefore = "IDBRequest" in globalThis;
installFakeIdbClasses();

describeHostStore("IdbStore (fake-indexeddb)", () =>
  IdbStore.open({ indexedDB: new IDBFactory() }),
);

describe("IdbStore on fake-indexeddb", () => {
  it("imports where no IndexedDB global exists", () => {
    expect(globalsBefore).toBe(false);
    expect("indexedDB" in globalThis).toBe(false);
  });

  it("says so when there is no IndexedDB to open", async () => {
    await expect(IdbStore.open()).rejects.toSatisfy(
      (e: unknown) =>
        KernelError.is(e) && e.code === "store" && /IndexedDB is not available/.test(e.message),
    );
  });

  it("keeps a run across a close and a reopen on the same factory", async () => {
    const factory = new IDBFactory();
    const first = await IdbStore.open({ indexedDB: factory, name: "kept" });
    await first.append("r", sequence([{ type: "StateUpdated", payload: 1 }], 0, 1), {
      expectedHead: 0,
    });
    first.close();
    const again = await IdbStore.open({ indexedDB: factory, name: "kept" });
    expect(await again.head("r")).toBe(1);
    const other = await IdbStore.open({ indexedDB: new IDBFactory(), name: "kept" });
    expect(await other.head("r")).toBe(0);
  });

  it("fills the signal index from the batches of a database of schema 1", async () => {
    const factory = new IDBFactory();
    const sig = (signalId: string) =>
      ({ type: "SignalReceived", name: "go", value: signalId, signalId }) as const;
    await createSchema1Db(factory, "v1", [
      { runId: "a", events: sequence([sig("x"), sig("y")], 0, 1) },
      { runId: "a", events: sequence([{ type: "StateUpdated", payload: 0 }, sig("x")], 2, 2) },
      { runId: "b", events: sequence([sig("y")], 0, 1) },
    ]);
    const store = await IdbStore.open({ indexedDB: factory, name: "v1" });
    expect(store.signalSeq).toBeTypeOf("function");
    expect(await store.signalSeq("a", "x")).toBe(1);
    expect(await store.signalSeq("a", "y")).toBe(2);
    expect(await store.signalSeq("b", "y")).toBe(1);
    expect(await store.signalSeq("b", "x")).toBeUndefined();
    expect((await store.read("a")).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    store.close();
  });
});

const shout = defineTool({
  name: "shout",
  description: "Upper-cases a text.",
  input: s.object({ text: s.string() }),
  handler: ({ text }) => ({ text: text.toUpperCase() }),
});

const shoutThenWait = workflow<{ text: string }, { text: string; ok: boolean }>(
  "test.shout",
  1,
  function* shoutThenWait(ctx, input) {
    const loud = yield* ctx.tool<{ text: string }>("shout", { text: input.text });
    const ok = yield* ctx.interrupt<boolean>({ question: `send ${loud.text}?` });
    return { text: loud.text, ok };
  },
  { input: s.object({ text: s.string() }) },
);

describe("createBrowserHost on fake-indexeddb", () => {
  it("builds its executor from the tools it is given", async () => {
    const host = await createBrowserHost({
      workflows: [shoutThenWait],
      tools: [shout],
      indexedDB: new IDBFactory(),
      broadcast: false,
    });
    try {
      const run = await host.start("test.shout", { text: "hi" }, { runId: "t", wait: true });
      expect(run.blocked?.interrupt?.value).toEqual({ question: "send HI?" });
      const done = await host.resume("t", true, { wait: true });
      expect(done).toMatchObject({ status: "completed", output: { text: "HI", ok: true } });
    } finally {
      await host.close();
    }
  });

  it("fails a tool call as unknown when no tools are given", async () => {
    const host = await createBrowserHost({
      workflows: [shoutThenWait],
      indexedDB: new IDBFactory(),
      broadcast: false,
    });
    try {
      const run = await host.start("test.shout", { text: "hi" }, { runId: "u", wait: true });
      expect(run.status).toBe("failed");
    } finally {
      await host.close();
    }
  });
});

// A tab's BrowserHost takes the run's lock before it cancels; a drive of the same tab holds that
// lock while a tool runs, so the cancel must abort the call first.
it("cancel in a tab aborts the tab's own call in flight instead of waiting for the lock", async () => {
  let aborted = false;
  let started = false;
  const hang = defineTool({
    name: "hang",
    description: "runs until aborted",
    input: { safeParse: (v: unknown) => ({ success: true as const, data: v }) },
    handler: (_input, ctx) =>
      new Promise<string>((_resolve, reject) => {
        started = true;
        ctx.signal.addEventListener("abort", () => {
          aborted = true;
          reject(ctx.signal.reason);
        });
      }),
  });
  const wf = workflow("hangs", 1, async (ctx) => ctx.tool("hang", null));
  const host = await createBrowserHost({
    indexedDB: new IDBFactory(),
    broadcast: false,
    workflows: [wf],
    executor: createExecutor({ tools: new ToolRegistry([hang]) }),
  });
  try {
    await host.start("hangs", null, { runId: "h" });
    for (let i = 0; i < 500 && !started; i++) await new Promise((r) => setTimeout(r, 2));
    expect(started).toBe(true);
    expect(await host.cancel("h", "closed the tab")).toMatchObject({ status: "cancelled" });
    expect(aborted).toBe(true);
    const types = (await host.events("h")).events.map((se: SequencedEvent) => se.event.type);
    expect(types).toEqual(["RunStarted", "ActionRequested", "ActionFailed", "Cancelled"]);
  } finally {
    await host.close();
  }
});
