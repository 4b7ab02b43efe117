// The README's "Writing a workflow" example, as written there, must run.

import { createExecutor, createMemoryHost, defineTool, s, ToolRegistry, workflow } from "runlog";
import { ManualClock } from "runlog/testing";
import { expect, it } from "vitest";

it("runs the README's workflow example: tool, interrupt, durable sleep, completion", async () => {
  const approval = workflow("publish-note", 1, function* (ctx, input: { text: string }) {
    const draft = yield* ctx.tool("echo", { text: input.text });
    const answer = yield* ctx.interrupt({ question: "Publish?", draft });
    yield* ctx.sleep(60_000); // durable: survives restarts
    return { approved: (answer as { approved?: boolean }).approved === true };
  });

  const echo = defineTool({
    name: "echo",
    description: "Returns its text",
    input: s.object({ text: s.string() }), // zod schemas work too
    handler: ({ text }) => ({ text }),
  });

  const clock = new ManualClock(1_800_000_000_000);
  const host = createMemoryHost({
    workflows: [approval],
    executor: createExecutor({ tools: new ToolRegistry([echo]) }),
    clock,
  });
  const run = await host.start("publish-note", { text: "hello" }, { wait: true });
  const resumed = await host.resume(run.runId, { approved: true }, { wait: true });
  expect(resumed.blocked).toEqual({ timerAt: 1_800_000_060_000 });
  clock.advance(60_000);
  await host.wake(run.runId);
  expect(await host.get(run.runId)).toMatchObject({
    status: "completed",
    output: { approved: true },
  });
  await host.close();
});
