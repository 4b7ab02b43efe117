import { ActionError } from "../actions.ts";
import { BehaviourFlag } from "../behaviour-flags.ts";
import { canonicalJson } from "../canonical-json.ts";
import type { Json, JsonObject } from "../json.ts";
import type { LlmMessage, LlmResponse } from "../llm/llm-types.ts";
import type { Budgets } from "../policy.ts";
import { s } from "../tools/schema.ts";
import type { ToolRegistry } from "../tools/tool-registry.ts";
import type { LineState } from "../workflow/straight-line.ts";
import { workflow } from "../workflow/straight-line.ts";
import type { Workflow } from "../workflow/workflow.ts";

/** What an agent workflow is built from. */
export interface AgentOptions {
  name: string;
  version?: number;
  description?: string;
  tools: ToolRegistry;
  /** The LLM provider's name. Default `scripted`. */
  provider?: string;
  model?: string;
  system?: string;
  /** Bounds on the run: actions (LLM and tool calls), tool calls, LLM tokens. */
  budget?: Budgets;
}

/** The input of an agent run. */
export interface AgentInput {
  task: string;
}

/** What an agent run completes with. */
export interface AgentOutput extends JsonObject {
  answer: string | null;
  turns: number;
  toolCalls: number;
  stoppedBy: "answer" | "budget";
}

/** What a human answers to an approval interrupt: approve, deny, or approve edited arguments. */
export interface ApprovalAnswer {
  approved: boolean;
  arguments?: Json;
  reason?: string;
}

/** The interrupt an agent raises before a tool marked `needsApproval`. */
export interface ApprovalRequest extends JsonObject {
  kind: "approval";
  question: string;
  tool: string;
  arguments: Json;
  toolCallId: string;
}

/**
 * An agent loop as a workflow: the LLM proposes tool calls; a tool marked `needsApproval` raises
 * an interrupt first (approve, deny, or edit the arguments); results, failures (invalid input
 * included) and denials go back to the LLM; it ends when the LLM answers without tool calls or the
 * budget is spent.
 */
export function agentWorkflow(o: AgentOptions): Workflow<AgentInput, LineState<AgentInput>> {
  const provider = o.provider ?? "scripted";
  return workflow<AgentInput, AgentOutput>(
    o.name,
    o.version ?? 1,
    function* agent(ctx, input) {
      const messages: LlmMessage[] = o.system ? [{ role: "system", content: o.system }] : [];
      messages.push({ role: "user", content: input.task });
      const tools = o.tools.specs();
      const canonical = ctx.hasFlag(BehaviourFlag.AgentCanonicalToolText);
      let toolCalls = 0;
      for (let turn = 0; ; turn++) {
        let response: LlmResponse;
        try {
          // A copy: the request goes into the log as it is, and `messages` grows after it.
          const request = {
            messages: [...messages],
            tools,
            ...(o.model ? { model: o.model } : {}),
          };
          response = yield* ctx.llm(request, { provider, onFailure: "continue" });
        } catch (error) {
          if (ActionError.is(error) && error.kind === "budget") {
            return { answer: null, turns: turn, toolCalls, stoppedBy: "budget" };
          }
          throw error;
        }
        const calls = response.message.toolCalls;
        messages.push({
          role: "assistant",
          content: response.message.content,
          ...(calls.length ? { toolCalls: calls } : {}),
        });
        if (calls.length === 0)
          return {
            answer: response.message.content,
            turns: turn + 1,
            toolCalls,
            stoppedBy: "answer",
          };
        for (const call of calls) {
          let args = call.arguments;
          if (o.tools.needsApproval(call.name)) {
            const request: ApprovalRequest = {
              kind: "approval",
              question: `Allow ${call.name} with these arguments?`,
              tool: call.name,
              arguments: args,
              toolCallId: call.id,
            };
            const answer = normalizeAnswer(yield* ctx.interrupt(request));
            if (!answer.approved) {
              const denial = {
                denied: true,
                tool: call.name,
                reason: answer.reason ?? "denied by the approver",
              };
              yield* ctx.record(`denied:${call.id}`, denial);
              messages.push({
                role: "tool",
                toolCallId: call.id,
                name: call.name,
                content: JSON.stringify(denial),
              });
              continue;
            }
            if (answer.arguments !== undefined) args = answer.arguments;
          }
          toolCalls += 1;
          let content: string;
          try {
            const output = yield* ctx.tool(call.name, args, { onFailure: "continue" });
            // Canonical JSON: a log read back from a store or an export holds the output with its
            // keys sorted, and the message the code makes from it must be the same either way.
            // A run started before that change keeps the text it was recorded with.
            content = canonical ? canonicalJson(output) : JSON.stringify(output);
          } catch (error) {
            content = JSON.stringify({
              error: error instanceof Error ? error.message : String(error),
            });
          }
          messages.push({ role: "tool", toolCallId: call.id, name: call.name, content });
        }
      }
    },
    {
      // 2: the state holds the run's behaviour flags. A snapshot from before (version 1) lacks
      // them, so it is not used: the run is restored from its log, which has them.
      stateVersion: 2,
      input: s.object({ task: s.string({ min: 1, max: 10_000 }) }),
      ...(o.description ? { description: o.description } : {}),
      ...(o.budget ? { budgets: o.budget } : {}),
    },
  );
}

/** Reads an approval answer: `true`/`false`, or `{approved, arguments?, reason?}`. */
export function normalizeAnswer(value: Json): ApprovalAnswer {
  if (typeof value === "boolean") return { approved: value };
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const answer: ApprovalAnswer = { approved: value.approved === true };
    if (value.arguments !== undefined) answer.arguments = value.arguments;
    if (typeof value.reason === "string") answer.reason = value.reason;
    return answer;
  }
  return { approved: false, reason: "the answer was not an approval" };
}
