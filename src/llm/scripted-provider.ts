import { ActionError } from "../actions.ts";
import { canonicalJson } from "../canonical-json.ts";
import type { Json } from "../json.ts";
import type { LlmProvider, LlmRequest, LlmResponse, LlmToolCall } from "./llm-types.ts";

/** One scripted answer, compactly: text, proposed tool calls, or both; the rest is filled in. */
export type ScriptedTurn = {
  content?: string;
  toolCalls?: { name: string; arguments: Json; id?: string }[];
  /** Default `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: string;
};

/**
 * What a scripted provider answers: a list (turn i answers call i) or a pure function of the
 * request and its turn. It must not keep state of its own, so a replayed or restarted run gets the
 * same answers.
 */
export type Script =
  | readonly ScriptedTurn[]
  | ((request: LlmRequest, turn: number) => ScriptedTurn);

/** Options of `createScriptedProvider`. */
export interface ScriptedProviderOptions {
  /** The name `callLLM` actions use. Default `scripted`. */
  name?: string;
  script: Script;
  /** Reported as the response's `model` when the request names none. Default: the name. */
  model?: string;
}

/**
 * The turn a request asks for: how many assistant messages its history holds. It is read from the
 * request alone, never from a counter, so it is the same after a restart or in a replay.
 */
export function scriptedTurn(request: LlmRequest): number {
  return request.messages.filter((m) => m.role === "assistant").length;
}

/** A rough, deterministic token count: a quarter of the characters, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * An offline, deterministic LLM: the same request always gets the same response, with tool call
 * ids `call_<turn>_<i>` and a token estimate as usage. The default provider of demos and tests.
 * `complete` throws a permanent `ActionError` when a list script has no answer for the turn.
 *
 * ```ts
 * const llm = createScriptedProvider({ script: [{ toolCalls: [{ name: "search", arguments: { query: "x" } }] }, { content: "done" }] });
 * ```
 */
export function createScriptedProvider(options: ScriptedProviderOptions): LlmProvider {
  const name = options.name ?? "scripted";
  const script = options.script;
  return {
    name,
    async complete(request: LlmRequest): Promise<LlmResponse> {
      const turn = scriptedTurn(request);
      const answer = typeof script === "function" ? script(request, turn) : script[turn];
      if (answer === undefined) {
        throw ActionError.permanent(`${name}: the script has no answer for turn ${turn}`);
      }
      const toolCalls: LlmToolCall[] = (answer.toolCalls ?? []).map((call, i) => ({
        id: call.id ?? `call_${turn}_${i}`,
        name: call.name,
        arguments: JSON.parse(canonicalJson(call.arguments)) as Json,
      }));
      const content = answer.content ?? "";
      const prompt = estimateTokens(
        canonicalJson({ messages: request.messages, tools: request.tools ?? [] }),
      );
      const completion = estimateTokens(
        content + (toolCalls.length > 0 ? canonicalJson(toolCalls) : ""),
      );
      return {
        message: { role: "assistant", content, toolCalls },
        usage: {
          prompt_tokens: prompt,
          completion_tokens: completion,
          total_tokens: prompt + completion,
        },
        finishReason: answer.finishReason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
        model: request.model ?? options.model ?? name,
      };
    },
  };
}
