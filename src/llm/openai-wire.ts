import type { Json, JsonObject } from "../json.ts";
import type { LlmMessage, LlmRequest, LlmResponse, LlmToolCall } from "./llm-types.ts";

/**
 * The body of an OpenAI chat-completions request for `request`: our messages in OpenAI's shape
 * (assistant `tool_calls` with JSON-string arguments, tool messages with `tool_call_id`), tools as
 * `{type: "function", function}`, and `request.model` over the provider's `model`.
 */
export function toChatCompletionsBody(request: LlmRequest, model: string): JsonObject {
  const body: JsonObject = {
    model: request.model ?? model,
    messages: request.messages.map(toWireMessage),
  };
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((t) => ({
      type: "function",
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  return body;
}

function toWireMessage(m: LlmMessage): JsonObject {
  switch (m.role) {
    case "system":
    case "user":
      return { role: m.role, content: m.content };
    case "tool":
      return { role: "tool", tool_call_id: m.toolCallId, content: m.content };
    case "assistant": {
      const calls = m.toolCalls ?? [];
      if (calls.length === 0) return { role: "assistant", content: m.content };
      return {
        role: "assistant",
        content: m.content === "" ? null : m.content,
        tool_calls: calls.map((c) => ({
          id: c.id,
          type: "function",
          function: { name: c.name, arguments: argumentsText(c.arguments) },
        })),
      };
    }
  }
}

/** Arguments as the JSON string OpenAI wants; a `{_raw}` wrapper goes back as the model wrote it. */
function argumentsText(args: Json): string {
  if (isObject(args) && typeof args._raw === "string" && Object.keys(args).length === 1)
    return args._raw;
  return JSON.stringify(args);
}

/**
 * Our `LlmResponse` from a parsed chat-completions body, or a string saying why it is not one.
 * Tool-call arguments that are not valid JSON are kept as `{_raw: "<text>"}` so the agent's input
 * validation reports them to the model; empty arguments are `{}`.
 */
export function fromChatCompletionsBody(body: unknown): LlmResponse | string {
  if (!isObject(body)) return "the response is not a JSON object";
  const choices = body.choices;
  const choice = Array.isArray(choices) ? choices[0] : undefined;
  if (!isObject(choice) || !isObject(choice.message))
    return "the response has no choices[0].message";
  const message = choice.message;
  const wireCalls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  const toolCalls: LlmToolCall[] = [];
  for (const [i, call] of wireCalls.entries()) {
    const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
    if (!fn || typeof fn.name !== "string") return `tool_calls[${i}] has no function name`;
    const id = isObject(call) && typeof call.id === "string" ? call.id : `call_${i}`;
    toolCalls.push({ id, name: fn.name, arguments: parseArguments(fn.arguments) });
  }
  const usage = isObject(body.usage) ? body.usage : {};
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  const response: LlmResponse = {
    message: {
      role: "assistant",
      content: typeof message.content === "string" ? message.content : "",
      toolCalls,
    },
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens:
        typeof usage.total_tokens === "number" ? usage.total_tokens : prompt + completion,
    },
    finishReason:
      typeof choice.finish_reason === "string"
        ? choice.finish_reason
        : toolCalls.length > 0
          ? "tool_calls"
          : "stop",
  };
  if (typeof body.model === "string") response.model = body.model;
  return response;
}

function parseArguments(raw: Json | undefined): Json {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "string") return raw;
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw) as Json;
  } catch {
    return { _raw: raw };
  }
}

function count(value: Json | undefined): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
