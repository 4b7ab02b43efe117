// A memory host stores events as given: a workflow must not change a value it has already handed
// to the log. The agent once kept appending to the message list its recorded LLM requests held,
// so its log on a memory host grew after the fact and no longer verified anywhere.

import { createMemoryHost } from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";
import { checkGoldenLog } from "runlog/testing";
import { describe, expect, it } from "vitest";

describe("demo.agent on a memory host", () => {
  it("exports a log whose LLM requests are the ones it made, and that verifies elsewhere", async () => {
    const host = createMemoryHost({ workflows: demoWorkflows, executor: demoExecutor() });
    const runId = "agent-log";
    await host.start("demo.agent", { task: "durable timers" }, { runId, wait: true });
    await host.resume(runId, { approved: true });
    await host.idle(runId);
    expect((await host.get(runId)).status).toBe("completed");
    const { events } = await host.events(runId);
    const llmRequests = events.flatMap((se) =>
      se.event.type === "ActionRequested" && se.event.action.type === "callLLM"
        ? [se.event.action.input as { messages: unknown[] }]
        : [],
    );
    // System and user, then each turn adds the assistant's answer and the tool's result.
    expect(llmRequests.map((r) => r.messages.length)).toEqual([2, 4, 6]);
    const text = await host.exportRun(runId);
    await host.close();
    const result = await checkGoldenLog(text, { workflows: demoWorkflows });
    expect(result.report.ok).toBe(true);
  });
});
