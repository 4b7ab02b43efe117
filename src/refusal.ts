import type { Action, ActionErrorData } from "./actions.ts";
import type { EffectSink } from "./effects.ts";
import type { Event } from "./events.ts";
import type { Policy } from "./policy.ts";
import type { RunMeta } from "./run-meta.ts";

/**
 * Why an action may not run, from the budgets (counted from the log) and the policy, or
 * `undefined` when it may. The kernel records a refusal as the action's failure, never runs it.
 */
export async function refusalOf(
  policy: Policy,
  runId: string,
  m: RunMeta,
  action: Action,
  actionId: string,
): Promise<ActionErrorData | undefined> {
  const budgets = policy.budgets;
  if (budgets?.maxSteps !== undefined && m.actions >= budgets.maxSteps) {
    return {
      kind: "budget",
      message: `run ${runId}: step budget of ${budgets.maxSteps} actions is spent`,
    };
  }
  if (
    action.type === "callTool" &&
    budgets?.maxToolCalls !== undefined &&
    m.toolCalls >= budgets.maxToolCalls
  ) {
    return {
      kind: "budget",
      message: `run ${runId}: tool-call budget of ${budgets.maxToolCalls} is spent`,
    };
  }
  if (
    action.type === "callLLM" &&
    budgets?.maxLlmTokens !== undefined &&
    m.llmTokens >= budgets.maxLlmTokens
  ) {
    return {
      kind: "budget",
      message: `run ${runId}: LLM token budget of ${budgets.maxLlmTokens} is spent (${m.llmTokens} used)`,
    };
  }
  try {
    await policy.authorize(action, {
      runId,
      actionId,
      actions: m.actions,
      toolCalls: m.toolCalls,
      llmTokens: m.llmTokens,
    });
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: "denied", message, name: "PolicyDeniedError", code: "policy_denied" };
  }
}

/**
 * The refusals of the actions a decision requests (one, or a `doAll` batch), as `ActionFailed`
 * events to commit with the requests; each action is told to the effect sink first. Budgets count
 * the batch's earlier actions; after a refusal that ends the run nothing more is refused.
 */
export async function refusals(
  policy: Policy,
  runId: string,
  meta: RunMeta,
  events: readonly Event[],
  sink: EffectSink | undefined,
): Promise<Event[]> {
  const counted = { ...meta };
  const out: Event[] = [];
  for (const e of events) {
    if (e.type !== "ActionRequested") continue;
    const action = e.action;
    if (sink && action.type === "callLLM")
      sink.record(runId, { type: "LLMCall", provider: action.provider, input: action.input });
    if (sink && action.type === "callTool")
      sink.record(runId, { type: "ToolCall", tool: action.tool, input: action.input });
    const error = await refusalOf(policy, runId, counted, action, e.actionId);
    counted.actions += 1;
    if (action.type === "callTool") counted.toolCalls += 1;
    if (!error) continue;
    out.push({ type: "ActionFailed", actionId: e.actionId, error });
    const onFailure = "onFailure" in action ? action.onFailure : undefined;
    if (onFailure !== "continue") break;
  }
  return out;
}
