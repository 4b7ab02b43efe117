import type { AbortSignalLike } from "../abort.ts";
import type { Json, JsonObject } from "../json.ts";

/** A tool call an LLM proposed. `arguments` is parsed JSON (an object for well-behaved models). */
export type LlmToolCall = {
  id: string;
  name: string;
  arguments: Json;
};

/** One chat message, in the shape OpenAI-compatible chat completions use. */
export type LlmMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: LlmToolCall[] }
  | { role: "tool"; toolCallId: string; name: string; content: string };

/** A tool as the LLM sees it: a name, what it does, and a JSON Schema of its input. */
export type LlmToolSpec = {
  name: string;
  description: string;
  parameters: JsonObject;
};

/**
 * What a `callLLM` action carries as its input. Plain JSON, so it is recorded as is (these data
 * shapes are `type`s, not interfaces, so they are `Json` without a cast).
 */
export type LlmRequest = {
  messages: LlmMessage[];
  tools?: LlmToolSpec[];
  model?: string;
  temperature?: number;
  maxTokens?: number;
};

/** Token usage, in both spellings budgets read (`total_tokens` is what the kernel counts). */
export type LlmUsage = {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
};

/** What a `callLLM` action records as its output. */
export type LlmResponse = {
  message: { role: "assistant"; content: string; toolCalls: LlmToolCall[] };
  usage: LlmUsage;
  finishReason: string;
  model?: string;
};

/**
 * A model behind a name. `complete` throws an `ActionError`: `rateLimited` (with `retryAfterMs`)
 * for 429, `transient` for 5xx and network errors, `permanent` for other 4xx.
 */
export interface LlmProvider {
  readonly name: string;
  /** `ctx.signal` is aborted when the run is cancelled or the action times out: stop and throw. */
  complete(
    request: LlmRequest,
    ctx: { actionId: string; signal?: AbortSignalLike },
  ): Promise<LlmResponse>;
}
