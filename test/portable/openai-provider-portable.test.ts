// The OpenAI provider with an injected fetch that returns the runtime's own Response objects, so the
// same code is checked in Node, Chromium and workerd.
import { ActionError } from "runlog";
import { describe, expect, it } from "vitest";
import type { LlmRequest } from "../../src/llm/llm-types.ts";
import {
  createOpenAIProvider,
  type FetchInit,
  type FetchLike,
} from "../../src/llm/openai-provider.ts";

type Call = { url: string; init: FetchInit };

function fakeFetch(responses: Response[]): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      const next = responses.shift();
      if (!next) throw new TypeError("no response left");
      return next;
    },
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

describe("the OpenAI provider on this runtime's fetch", () => {
  it("round-trips a tool call: our messages out, OpenAI's tool_calls back", async () => {
    const { fetch, calls } = fakeFetch([
      json(200, {
        model: "gpt-x",
        choices: [
          {
            message: {
              role: "assistant",
              content: null,
              tool_calls: [
                {
                  id: "c1",
                  type: "function",
                  function: { name: "search", arguments: '{"query":"edge"}' },
                },
              ],
            },
            finish_reason: "tool_calls",
          },
        ],
        usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
      }),
      json(200, {
        choices: [{ message: { role: "assistant", content: "Done." }, finish_reason: "stop" }],
      }),
    ]);
    const llm = createOpenAIProvider({
      baseUrl: "https://llm.example/v1/",
      model: "gpt-x",
      apiKey: "k",
      fetch,
    });
    const request: LlmRequest = { messages: [{ role: "user", content: "search the edge" }] };
    const first = await llm.complete(request, { actionId: "r:1" });
    expect(first.message.toolCalls).toEqual([
      { id: "c1", name: "search", arguments: { query: "edge" } },
    ]);
    expect(first.usage.total_tokens).toBe(8);

    const next: LlmRequest = {
      messages: [
        ...request.messages,
        { role: "assistant", content: first.message.content, toolCalls: first.message.toolCalls },
        { role: "tool", toolCallId: "c1", name: "search", content: "[]" },
      ],
    };
    const second = await llm.complete(next, { actionId: "r:3" });
    expect(second).toEqual({
      message: { role: "assistant", content: "Done.", toolCalls: [] },
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      finishReason: "stop",
    });
    expect(calls.map((c) => c.url)).toEqual([
      "https://llm.example/v1/chat/completions",
      "https://llm.example/v1/chat/completions",
    ]);
    expect(calls[0]?.init.headers.authorization).toBe("Bearer k");
    expect(JSON.parse(calls[1]?.init.body ?? "").messages.slice(1)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "c1",
            type: "function",
            function: { name: "search", arguments: '{"query":"edge"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: "[]" },
    ]);
  });

  it("maps a 429 to rateLimited with its Retry-After, and a failed fetch to transient", async () => {
    const { fetch } = fakeFetch([
      json(429, { error: { message: "slow down" } }, { "retry-after": "3" }),
    ]);
    const llm = createOpenAIProvider({ baseUrl: "https://llm.example/v1", model: "m", fetch });
    const request: LlmRequest = { messages: [{ role: "user", content: "hi" }] };
    const limited = await llm.complete(request, { actionId: "r:1" }).catch((e: unknown) => e);
    expect(ActionError.is(limited)).toBe(true);
    expect(limited).toMatchObject({
      kind: "rateLimited",
      retryAfterMs: 3000,
      message: "openai: HTTP 429: slow down",
    });
    await expect(llm.complete(request, { actionId: "r:1" })).rejects.toMatchObject({
      kind: "transient",
    });
  });
});
