import { ActionError } from "runlog";
import { describe, expect, it } from "vitest";
import { demoAgentScript } from "../../src/llm/demo-agent-script.ts";
import type { LlmMessage, LlmRequest, LlmResponse } from "../../src/llm/llm-types.ts";
import { createScriptedProvider, scriptedTurn } from "../../src/llm/scripted-provider.ts";

const ctx = { actionId: "run:1" };
const user = (content: string): LlmMessage => ({ role: "user", content });

/** The history an agent would send after `response`, with `results` as the tool messages. */
function continueWith(request: LlmRequest, response: LlmResponse, results: string[]): LlmRequest {
  const assistant: LlmMessage = {
    role: "assistant",
    content: response.message.content,
    toolCalls: response.message.toolCalls,
  };
  const tools = response.message.toolCalls.map(
    (call, i): LlmMessage => ({
      role: "tool",
      toolCallId: call.id,
      name: call.name,
      content: results[i] ?? "",
    }),
  );
  return { ...request, messages: [...request.messages, assistant, ...tools] };
}

describe("the scripted provider", () => {
  const script = [
    {
      toolCalls: [
        { name: "search", arguments: { query: "x" } },
        { name: "lookup", arguments: [1, 2] },
      ],
    },
    { content: "done" },
  ];

  it("answers turn i of a list with call ids, a token estimate and the finish reason filled in", async () => {
    const llm = createScriptedProvider({ script });
    expect(llm.name).toBe("scripted");
    const first: LlmRequest = { messages: [user("go")] };
    const r0 = await llm.complete(first, ctx);
    expect(r0.message.toolCalls).toEqual([
      { id: "call_0_0", name: "search", arguments: { query: "x" } },
      { id: "call_0_1", name: "lookup", arguments: [1, 2] },
    ]);
    expect(r0.finishReason).toBe("tool_calls");
    expect(r0.message.content).toBe("");
    expect(r0.usage.prompt_tokens).toBeGreaterThan(0);
    expect(r0.usage.total_tokens).toBe(r0.usage.prompt_tokens + r0.usage.completion_tokens);
    expect(r0.model).toBe("scripted");
    const r1 = await llm.complete(continueWith(first, r0, ["a", "b"]), ctx);
    expect(r1.message).toEqual({ role: "assistant", content: "done", toolCalls: [] });
    expect(r1.finishReason).toBe("stop");
  });

  it("gives the same response to the same request, from any instance, in any order", async () => {
    const a = createScriptedProvider({ script });
    const b = createScriptedProvider({ script });
    const first: LlmRequest = { messages: [user("go")] };
    const r0 = await a.complete(first, ctx);
    const second = continueWith(first, r0, ["a", "b"]);
    // No hidden counter: asking turn 1 first, or turn 0 twice, changes nothing.
    const fresh1 = await b.complete(second, ctx);
    expect(await b.complete(first, ctx)).toEqual(r0);
    expect(await a.complete(first, ctx)).toEqual(r0);
    expect(await a.complete(second, ctx)).toEqual(fresh1);
    expect(scriptedTurn(second)).toBe(1);
  });

  it("throws a permanent ActionError when a list has no answer for the turn", async () => {
    const llm = createScriptedProvider({ name: "short", script: [] });
    const error = await llm.complete({ messages: [user("go")] }, ctx).catch((e: unknown) => e);
    expect(ActionError.is(error) && error.kind).toBe("permanent");
    expect((error as Error).message).toBe("short: the script has no answer for turn 0");
  });

  it("calls a function script with the request and its turn", async () => {
    const llm = createScriptedProvider({
      name: "echo",
      model: "echo-1",
      script: (request, turn) => ({ content: `${turn}:${request.messages.length}` }),
    });
    const request: LlmRequest = {
      messages: [user("a"), { role: "assistant", content: "b" }, user("c")],
    };
    expect((await llm.complete(request, ctx)).message.content).toBe("1:3");
    expect((await llm.complete(request, ctx)).model).toBe("echo-1");
    expect((await llm.complete({ ...request, model: "asked" }, ctx)).model).toBe("asked");
  });
});

describe("demoAgentScript", () => {
  const llm = createScriptedProvider({ script: demoAgentScript });
  const start: LlmRequest = {
    messages: [
      { role: "system", content: "You are helpful." },
      user("compare durable execution engines"),
    ],
  };

  async function toTurnTwo(publishResult: string) {
    const r0 = await llm.complete(start, ctx);
    const r1 = await llm.complete(
      continueWith(start, r0, ['{"hits":["Temporal","Restate"]}']),
      ctx,
    );
    const second = continueWith(continueWith(start, r0, ['{"hits":["Temporal","Restate"]}']), r1, [
      publishResult,
    ]);
    return { r0, r1, r2: await llm.complete(second, ctx) };
  }

  it("searches for the task, then publishes what it found, then summarizes", async () => {
    const { r0, r1, r2 } = await toTurnTwo('{"url":"https://example.test/post"}');
    expect(r0.message.toolCalls).toEqual([
      { id: "call_0_0", name: "search", arguments: { query: "compare durable execution engines" } },
    ]);
    expect(r1.message.toolCalls).toHaveLength(1);
    expect(r1.message.toolCalls[0]).toMatchObject({
      id: "call_1_0",
      name: "publish",
      arguments: {
        title: "Findings: compare durable execution engines",
        body: expect.stringContaining("Temporal"),
      },
    });
    expect(r2.finishReason).toBe("stop");
    expect(r2.message.toolCalls).toEqual([]);
    expect(r2.message.content).toMatch(/^Published "Findings: compare durable execution engines"/);
  });

  it("says so in its final answer when publishing was denied or failed", async () => {
    for (const denied of [
      '{"denied":true}',
      '{"approved":false}',
      "The user denied this tool call.",
    ]) {
      const { r2 } = await toTurnTwo(denied);
      expect(r2.message.content).toMatch(/^I did not publish .*: publishing was denied/);
    }
    const { r2 } = await toTurnTwo('{"error":{"message":"title: Required"}}');
    expect(r2.message.content).toMatch(/failed \(title: Required\)/);
  });
});
