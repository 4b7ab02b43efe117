// The OpenAI-compatible provider against a real HTTP server on 127.0.0.1 that speaks chat completions.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ActionError,
  AllowAllPolicy,
  type Json,
  Kernel,
  MemoryEventStore,
  type Reducer,
  RetryWithBackoffPolicy,
  type StepFn,
} from "runlog";
import { metaOf } from "runlog/store-kit";
import { ManualClock } from "runlog/testing";
import { afterEach, describe, expect, it } from "vitest";
import type { LlmRequest } from "../../src/llm/llm-types.ts";
import { createOpenAIProvider } from "../../src/llm/openai-provider.ts";
import { createExecutor } from "../../src/tools/create-executor.ts";

type Reply = { status: number; headers?: Record<string, string>; body: unknown } | "hang";
type Seen = { method: string; url: string; headers: IncomingHttpHeaders; body: unknown };

/** A chat-completions server answering each request with the next reply and recording what it got. */
async function startServer(replies: Reply[]) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: JSON.parse(text),
      });
      const reply = replies.shift() ?? {
        status: 500,
        body: { error: { message: "no reply left" } },
      };
      if (reply === "hang") return;
      const body = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { baseUrl: `http://127.0.0.1:${port}/v1`, seen, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const KEY = "sk-test-secret-123";
const ctx = { actionId: "run:1" };
const completion = (
  message: Json,
  usage: Json = { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 },
) => ({
  status: 200,
  body: {
    id: "chatcmpl-1",
    model: "gpt-test-0613",
    choices: [{ index: 0, message, finish_reason: "tool_calls" }],
    usage,
  },
});

const request: LlmRequest = {
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "find kernels" },
    {
      role: "assistant",
      content: "",
      toolCalls: [{ id: "call_a", name: "search", arguments: { query: "kernels" } }],
    },
    { role: "tool", toolCallId: "call_a", name: "search", content: '{"hits":1}' },
  ],
  tools: [
    {
      name: "search",
      description: "Searches",
      parameters: { type: "object", properties: { query: { type: "string" } } },
    },
  ],
  temperature: 0,
  maxTokens: 64,
};

describe("the OpenAI provider over HTTP", () => {
  it("posts chat completions with the bearer key and maps tool calls, arguments and usage back", async () => {
    const { baseUrl, seen } = await startServer([
      completion({
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "publish", arguments: '{"title":"T","body":"B"}' },
          },
          { id: "call_2", type: "function", function: { name: "search", arguments: "{not json" } },
        ],
      }),
    ]);
    const llm = createOpenAIProvider({
      baseUrl,
      model: "gpt-test",
      apiKey: KEY,
      headers: { "x-extra": "1" },
    });
    const response = await llm.complete(request, ctx);
    expect(response).toEqual({
      message: {
        role: "assistant",
        content: "",
        toolCalls: [
          { id: "call_1", name: "publish", arguments: { title: "T", body: "B" } },
          { id: "call_2", name: "search", arguments: { _raw: "{not json" } },
        ],
      },
      usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 },
      finishReason: "tool_calls",
      model: "gpt-test-0613",
    });
    expect(seen).toHaveLength(1);
    const got = seen[0] as Seen;
    expect(got.method).toBe("POST");
    expect(got.url).toBe("/v1/chat/completions");
    expect(got.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["x-extra"]).toBe("1");
    expect(got.body).toEqual({
      model: "gpt-test",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "find kernels" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_a",
              type: "function",
              function: { name: "search", arguments: '{"query":"kernels"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_a", content: '{"hits":1}' },
      ],
      tools: [{ type: "function", function: request.tools?.[0] }],
      temperature: 0,
      max_tokens: 64,
    });
  });

  it("maps 429 with Retry-After: 2 to rateLimited with retryAfterMs 2000", async () => {
    const { baseUrl } = await startServer([
      {
        status: 429,
        headers: { "retry-after": "2" },
        body: { error: { message: "Rate limit reached" } },
      },
    ]);
    const error = await createOpenAIProvider({ baseUrl, model: "m", apiKey: KEY })
      .complete(request, ctx)
      .catch((e) => e);
    expect(ActionError.is(error)).toBe(true);
    expect(error).toMatchObject({
      kind: "rateLimited",
      retryAfterMs: 2000,
      message: "openai: HTTP 429: Rate limit reached",
    });
  });

  it("reads a Retry-After date and prefers retry-after-ms", async () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const { baseUrl } = await startServer([
      { status: 429, headers: { "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }, body: {} },
      { status: 429, headers: { "retry-after": "9", "retry-after-ms": "250" }, body: {} },
    ]);
    const llm = createOpenAIProvider({ baseUrl, model: "m", now: () => now });
    await expect(llm.complete(request, ctx)).rejects.toMatchObject({
      kind: "rateLimited",
      retryAfterMs: 5000,
    });
    await expect(llm.complete(request, ctx)).rejects.toMatchObject({
      kind: "rateLimited",
      retryAfterMs: 250,
    });
  });

  it("maps 503 to transient and 400 to permanent with the server's message", async () => {
    const { baseUrl } = await startServer([
      { status: 503, body: "upstream unavailable" },
      {
        status: 400,
        body: {
          error: { message: "Invalid value for 'temperature'", type: "invalid_request_error" },
        },
      },
    ]);
    const llm = createOpenAIProvider({ name: "local", baseUrl, model: "m" });
    await expect(llm.complete(request, ctx)).rejects.toMatchObject({
      kind: "transient",
      message: "local: HTTP 503: upstream unavailable",
    });
    await expect(llm.complete(request, ctx)).rejects.toMatchObject({
      kind: "permanent",
      message: "local: HTTP 400: Invalid value for 'temperature'",
    });
  });

  it("never puts the API key in an error message, even when the server echoes it", async () => {
    const { baseUrl } = await startServer([
      { status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}` } } },
    ]);
    const error = await createOpenAIProvider({ baseUrl, model: "m", apiKey: KEY })
      .complete(request, ctx)
      .catch((e) => e);
    expect(error).toMatchObject({ kind: "permanent" });
    expect(error.message).toBe("openai: HTTP 401: Incorrect API key provided: [redacted]");
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(KEY);
  });

  it("maps a refused connection and a timeout to transient", async () => {
    const { baseUrl, server } = await startServer([]);
    await new Promise((resolve) => server.close(resolve));
    await expect(
      createOpenAIProvider({ baseUrl, model: "m", apiKey: KEY }).complete(request, ctx),
    ).rejects.toMatchObject({
      kind: "transient",
      message: expect.stringMatching(
        /^openai: request to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions failed/,
      ),
    });
    const slow = await startServer(["hang"]);
    await expect(
      createOpenAIProvider({ baseUrl: slow.baseUrl, model: "m", timeoutMs: 100 }).complete(
        request,
        ctx,
      ),
    ).rejects.toMatchObject({
      kind: "transient",
      message: expect.stringMatching(/no response .* within 100 ms/),
    });
  });
});

describe("a kernel run over the OpenAI provider", () => {
  type Answer = { answer: Json | null };
  const answer: Reducer<Answer> = {
    apply: (s, se) => (se.event.type === "ActionSucceeded" ? { answer: se.event.output } : s),
  };
  const step: StepFn<Answer> = {
    next: (s) =>
      s.answer === null
        ? { type: "do", action: { type: "callLLM", provider: "openai", input: request } }
        : { type: "complete", output: s.answer },
  };

  it("retries a 503 once and records one request, one failed attempt, one success with its tokens", async () => {
    const { baseUrl, seen } = await startServer([
      { status: 503, body: { error: { message: "overloaded" } } },
      completion(
        { role: "assistant", content: "Kernels found." },
        { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 },
      ),
    ]);
    const events = new MemoryEventStore();
    const kernel = new Kernel<Answer>({
      events,
      reducer: answer,
      step,
      executor: createExecutor({
        providers: [createOpenAIProvider({ baseUrl, model: "gpt-test", apiKey: KEY })],
      }),
      policy: new RetryWithBackoffPolicy(new AllowAllPolicy(), 3, 1),
      clock: new ManualClock(1_700_000_000_000),
      scheduler: { sleep: async () => {} },
    });
    const status = await kernel.runUntilBlocked("llm-run", { answer: null });
    expect(status).toMatchObject({
      type: "completed",
      output: { message: { content: "Kernels found." } },
    });
    const log = await events.read("llm-run");
    expect(log.map((se) => se.event.type)).toEqual([
      "ActionRequested",
      "ActionAttemptFailed",
      "ActionSucceeded",
      "Completed",
    ]);
    expect(log[1]?.event).toMatchObject({
      attempt: 0,
      error: { kind: "transient", message: "openai: HTTP 503: overloaded" },
    });
    expect(log[2]?.event).toMatchObject({ output: { usage: { total_tokens: 42 } } });
    expect(metaOf(log).llmTokens).toBe(42);
    expect(seen).toHaveLength(2);
  });
});
