import {
  type ActionErrorData,
  type ActionExecutor,
  failureData,
  toActionErrorData,
} from "./actions.ts";
import type { EventStore } from "./event-store.ts";
import type { Event } from "./events.ts";
import type { Policy } from "./policy.ts";
import type { Scheduler } from "./ports.ts";
import type { LoadedRun } from "./restore.ts";
import type { RunAborts } from "./run-aborts.ts";
import type { PendingAction } from "./run-meta.ts";
import { signalValue } from "./signal-dedupe.ts";

/** What advancing a pending action needs from the kernel. */
export interface PendingDeps {
  executor: ActionExecutor;
  policy: Policy;
  scheduler: Scheduler;
  inlineRetryMaxMs: number;
  now: () => number;
  aborts: RunAborts;
  /** Where a consumed signal's value is read from (its event). */
  events: EventStore;
}

/** Commits events (or events made from the commit's time) to the run. */
export type Commit = (events: Event[] | ((ts: number) => Event[])) => Promise<void>;

/** What one attempt of an action came to. */
export type Attempted =
  /** A final outcome to record (success or failure). */
  | { type: "final"; events: Event[] }
  /** A failed attempt to record, then another after `afterMs` in the loop. */
  | { type: "again"; events: Event[]; afterMs: number }
  /** A failed attempt to record with a durable backoff: the action waits for the waker. */
  | { type: "later"; events: (ts: number) => Event[] }
  /** The run was cancelled while the action was in flight. */
  | { type: "cancelled" }
  /** Stopped without an outcome (a sibling ended the run). */
  | { type: "halted" };

/**
 * Runs one attempt of a tool or LLM action with an `AbortSignal`: a cancel of the run or the
 * action's `timeoutMs` aborts it and the kernel stops waiting for the executor at once. What the
 * executor returns after that is ignored. `halt` aborts it from the caller's side.
 */
export async function attempt(
  deps: PendingDeps,
  runId: string,
  pending: PendingAction,
  onOpen?: (halt: () => void) => void,
): Promise<Attempted> {
  const { actionId, action } = pending;
  const attemptNo = pending.attempts;
  const timeoutMs = "timeoutMs" in action ? action.timeoutMs : undefined;
  const call = deps.aborts.open(runId, actionId, timeoutMs);
  onOpen?.(call.halt);
  let outcome: { ok: true; result: unknown } | { ok: false; error: ActionErrorData };
  try {
    const running = (async () =>
      deps.executor.execute(runId, action, {
        actionId,
        attempt: attemptNo,
        signal: call.signal,
      }))().then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error: toActionErrorData(error) }),
    );
    const first = await Promise.race([running, call.stopped]);
    if ("type" in first) {
      if (first.type === "cancelled")
        return deps.aborts.requested(runId) === undefined
          ? { type: "halted" }
          : { type: "cancelled" };
      outcome = { ok: false, error: first.error };
    } else outcome = first;
  } finally {
    call.close();
  }
  // A cancel that came while the answer was on its way wins: no success after a cancel.
  if (deps.aborts.requested(runId) !== undefined) return { type: "cancelled" };
  if (outcome.ok) {
    const result = outcome.result as Awaited<ReturnType<ActionExecutor["execute"]>> | undefined;
    if (result?.type === "success")
      return {
        type: "final",
        events: [{ type: "ActionSucceeded", actionId, output: result.output }],
      };
    if (result?.type === "failure") {
      const error = failureData(result.error);
      return { type: "final", events: [{ type: "ActionFailed", actionId, error }] };
    }
  }
  const error = outcome.ok
    ? ({ kind: "permanent", message: "the executor returned no result" } as const)
    : outcome.error;
  const decision = deps.policy.retryDecision(error, action, attemptNo);
  if (decision.type === "fail")
    return { type: "final", events: [{ type: "ActionFailed", actionId, error }] };
  const failed = { type: "ActionAttemptFailed" as const, actionId, attempt: attemptNo, error };
  if (decision.afterMs <= deps.inlineRetryMaxMs)
    return { type: "again", events: [failed], afterMs: decision.afterMs };
  // Due exactly `afterMs` after the attempt's recorded time, whatever the clock did meanwhile.
  return { type: "later", events: (ts) => [{ ...failed, retryAt: ts + decision.afterMs }] };
}

/** The events that record a cancel which stopped actions in flight. */
export function cancelledEvents(
  runId: string,
  actions: readonly PendingAction[],
  reason: string,
): Event[] {
  const events: Event[] = actions.map((p) => ({
    type: "ActionFailed",
    actionId: p.actionId,
    error: {
      kind: "cancelled",
      code: "cancelled",
      message: `run ${runId} was cancelled while ${p.actionId} was in flight`,
    },
  }));
  events.push({ type: "Cancelled", reason });
  return events;
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
  commit: Commit,
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
    const value = await signalValue(deps.events, runId, signal);
    const output = { name: signal.name, value, signalId: signal.signalId };
    await commit([{ type: "ActionSucceeded", actionId, output }]);
    return false;
  }
  if (pending.retryAt !== undefined && pending.retryAt > now) return true;

  const done = await attempt(deps, runId, pending);
  switch (done.type) {
    case "final":
      await commit(done.events);
      return false;
    case "again":
      await commit(done.events);
      if (done.afterMs > 0) await deps.scheduler.sleep(done.afterMs);
      return false;
    case "later":
      await commit(done.events);
      return true;
    case "cancelled":
    case "halted": {
      const reason = deps.aborts.requested(runId);
      if (reason !== undefined) await commit(cancelledEvents(runId, [pending], reason));
      return false;
    }
  }
}
