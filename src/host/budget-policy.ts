import type { Action, ActionErrorData } from "../actions.ts";
import type { Budgets, Policy, PolicyContext, RetryDecision } from "../policy.ts";

/** The policy with a workflow's budgets laid over its own (the tighter of each wins). */
export function withBudgets(policy: Policy, budgets: Budgets | undefined): Policy {
  if (!budgets) return policy;
  const own = policy.budgets ?? {};
  const merged: Budgets = {};
  for (const key of ["maxSteps", "maxToolCalls", "maxLlmTokens"] as const) {
    const values = [own[key], budgets[key]].filter((v): v is number => v !== undefined);
    if (values.length > 0) merged[key] = Math.min(...values);
  }
  return {
    budgets: merged,
    authorize: (action: Action, ctx: PolicyContext) => policy.authorize(action, ctx),
    retryDecision: (error: ActionErrorData, action: Action, attempt: number): RetryDecision =>
      policy.retryDecision(error, action, attempt),
  };
}
