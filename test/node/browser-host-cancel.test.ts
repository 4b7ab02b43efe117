// A tab's BrowserHost takes the run's lock before it cancels; a drive of the same tab holds that
// lock while a tool runs, so the cancel must abort the call first (IndexedDB from fake-indexeddb).

import { createExecutor, defineTool, type SequencedEvent, ToolRegistry, workflow } from "runlog";
import { createBrowserHost } from "runlog/idb";
import { expect, it } from "vitest";
import { IDBFactory, installFakeIdbClasses } from "../support/fake-idb.ts";

installFakeIdbClasses();

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
