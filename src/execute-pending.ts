import {
  type ActionErrorData,
  type ActionExecutor,
  type ActionResult,
  failureData,
  toActionErrorData,
} from "./actions.ts";
import type { Event } from "./events.ts";
import type { Policy } from "./policy.ts";
import type { Scheduler } from "./ports.ts";
import type { LoadedRun } from "./restore.ts";

/** What advancing a pending action needs from the kernel. */
export interface PendingDeps {
  executor: ActionExecutor;
  policy: Policy;
  scheduler: Scheduler;
  inlineRetryMaxMs: number;
  now: () => number;
}

/**
 * Advances the run's pending action by one outcome: a due timer fires, a buffered signal is
 * consumed, or the executor runs once (with the recorded `actionId` and attempt number). Returns
 * true when the run is blocked instead (timer not due, no signal yet, durable backoff running).
 */
export async function executePending<S>(
  deps: PendingDeps,
  runId: string,
  run: LoadedRun<S>,
  commit: (events: Event[] | ((ts: number) => Event[])) => Promise<void>,
): Promise<boolean> {
  const pending = run.meta.pending;
  if (!pending) return false;
  const { actionId, action } = pending;
  const now = deps.now();
  if (action.type === "sleep") {
    if ((pending.timerAt ?? 0) > now) return true;
    await commit([{ type: "ActionSucceeded", actionId, output: { sleptMs: action.ms } }]);
    return false;
  }
  if (action.type === "waitSignal") {
    const signal = run.meta.signals.find((s) => s.name === action.name);
    if (!signal) return true;
    const output = { name: signal.name, value: signal.value, signalId: signal.signalId };
    await commit([{ type: "ActionSucceeded", actionId, output }]);
    return false;
  }
  if (pending.retryAt !== undefined && pending.retryAt > now) return true;

  const attempt = pending.attempts;
  let result: ActionResult | undefined;
  let thrown: ActionErrorData | undefined;
  try {
    result = await deps.executor.execute(runId, action, { actionId, attempt });
  } catch (error) {
    thrown = toActionErrorData(error);
  }
  if (result?.type === "success") {
    await commit([{ type: "ActionSucceeded", actionId, output: result.output }]);
    return false;
  }
  if (result?.type === "failure") {
    await commit([{ type: "ActionFailed", actionId, error: failureData(result.error) }]);
    return false;
  }
  const error = thrown ?? { kind: "permanent", message: "the executor returned no result" };
  const decision = deps.policy.retryDecision(error, action, attempt);
  if (decision.type === "fail") {
    await commit([{ type: "ActionFailed", actionId, error }]);
    return false;
  }
  if (decision.afterMs <= deps.inlineRetryMaxMs) {
    await commit([{ type: "ActionAttemptFailed", actionId, attempt, error }]);
    if (decision.afterMs > 0) await deps.scheduler.sleep(decision.afterMs);
    return false;
  }
  // Due exactly `afterMs` after the attempt's recorded time, whatever the clock did meanwhile.
  await commit((ts) => [
    { type: "ActionAttemptFailed", actionId, attempt, error, retryAt: ts + decision.afterMs },
  ]);
  return true;
}
