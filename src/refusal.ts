import type { Action, ActionErrorData } from "./actions.ts";
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
