import type { ActionErrorData } from "./actions.ts";
import type { Json } from "./json.ts";
import { pendingActions, type RunMeta } from "./run-meta.ts";

/** What a blocked run waits for. */
export interface BlockedInfo {
  interrupt?: { id: string; value: Json };
  waitSignal?: string;
  timerAt?: number;
  retryAt?: number;
}

/** Where a run stands after the driver stopped advancing it. */
export type RunStatus =
  | { type: "running" }
  | { type: "blocked"; blocked: BlockedInfo }
  | { type: "completed"; output?: Json }
  | { type: "failed"; recoverable: boolean; error: ActionErrorData }
  | { type: "cancelled"; reason: string };

/** The status a run's meta implies, taking the time into account for timers and backoffs. */
export function statusOf(meta: RunMeta, now: number): RunStatus {
  const terminal = meta.terminal;
  if (terminal) {
    if (terminal.type === "failed")
      return { type: "failed", recoverable: false, error: terminal.error };
    return terminal;
  }
  if (meta.interrupt) {
    return {
      type: "blocked",
      blocked: { interrupt: { id: meta.interrupt.id, value: meta.interrupt.value } },
    };
  }
  const pending = meta.pending;
  if (pending) {
    const action = pending.action;
    if (action.type === "sleep" && pending.timerAt !== undefined && pending.timerAt > now) {
      return { type: "blocked", blocked: { timerAt: pending.timerAt } };
    }
    if (action.type === "waitSignal" && !meta.signals.some((s) => s.name === action.name)) {
      return { type: "blocked", blocked: { waitSignal: action.name } };
    }
    // A batch is blocked only while every unfinished action of it waits out a backoff.
    const all = pendingActions(meta);
    if (all.every((p) => p.retryAt !== undefined && p.retryAt > now)) {
      return { type: "blocked", blocked: { retryAt: Math.min(...all.map((p) => p.retryAt ?? 0)) } };
    }
  }
  return { type: "running" };
}

/** True when the run can never move again. */
export function isTerminal(status: RunStatus): boolean {
  return status.type === "completed" || status.type === "failed" || status.type === "cancelled";
}

/** The time a blocked run should be woken at, if a timer or a backoff blocks it. */
export function wakeAt(status: RunStatus): number | undefined {
  if (status.type !== "blocked") return undefined;
  return status.blocked.timerAt ?? status.blocked.retryAt;
}
