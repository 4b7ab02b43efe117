import type { Action } from "./actions.ts";
import type { SequencedEvent } from "./events.ts";
import { applyMeta, emptyMeta } from "./run-meta.ts";
import { type RunStatus, statusOf } from "./run-status.ts";

/** The final status in one word, telling apart what a blocked run waits for. */
export type TimelineStatus =
  | "running"
  | "completed"
  | "failed"
  | "cancelled"
  | "waiting_interrupt"
  | "waiting_signal"
  | "waiting_timer"
  | "waiting_retry";

/** One event in the timeline. */
export interface TimelineEntry {
  seq: number;
  ts: number;
  /** The event's type (the seed calls it kind). */
  kind: string;
  /** ms since the run's first event. */
  atMs: number;
  /** For action outcomes: ms since the request; for `Resumed`: ms the interrupt waited. */
  durationMs?: number;
  actionId?: string;
  label: string;
}

/** One action from request to outcome. */
export interface TimelineAction {
  actionId: string;
  type: Action["type"];
  name: string;
  requestedSeq: number;
  requestedAt: number;
  attempts: number;
  outcome: "succeeded" | "failed" | "pending";
  endedAt?: number;
  durationMs?: number;
}

/** A run's history for people and tools: events, actions, durations and the final status. */
export interface RunTimeline {
  runId: string;
  head: number;
  startedAt?: number;
  endedAt?: number;
  durationMs: number;
  status: TimelineStatus;
  runStatus: RunStatus;
  events: TimelineEntry[];
  actions: TimelineAction[];
}

/** Builds the timeline of a log; `now` decides whether timers and backoffs are still running. */
export function buildTimeline(
  runId: string,
  events: readonly SequencedEvent[],
  now: number,
): RunTimeline {
  const meta = emptyMeta();
  const entries: TimelineEntry[] = [];
  const actions = new Map<string, TimelineAction>();
  let interruptedAt: number | undefined;
  const first = events[0]?.ts ?? 0;
  for (const se of events) {
    applyMeta(meta, se);
    const e = se.event;
    const entry: TimelineEntry = {
      seq: se.seq,
      ts: se.ts,
      kind: e.type,
      atMs: se.ts - first,
      label: e.type,
    };
    switch (e.type) {
      case "ActionRequested": {
        const name = actionName(e.action);
        actions.set(e.actionId, {
          actionId: e.actionId,
          type: e.action.type,
          name,
          requestedSeq: se.seq,
          requestedAt: se.ts,
          attempts: 1,
          outcome: "pending",
        });
        entry.actionId = e.actionId;
        entry.label = `${e.action.type} ${name}`;
        break;
      }
      case "ActionAttemptFailed":
      case "ActionSucceeded":
      case "ActionFailed": {
        const action = actions.get(e.actionId);
        entry.actionId = e.actionId;
        if (action) {
          entry.durationMs = se.ts - action.requestedAt;
          entry.label = `${e.type} ${action.name}`;
          if (e.type === "ActionAttemptFailed") action.attempts = e.attempt + 2;
          else {
            action.outcome = e.type === "ActionSucceeded" ? "succeeded" : "failed";
            action.endedAt = se.ts;
            action.durationMs = se.ts - action.requestedAt;
          }
        }
        break;
      }
      case "Interrupted":
        interruptedAt = se.ts;
        break;
      case "Resumed":
        if (interruptedAt !== undefined) entry.durationMs = se.ts - interruptedAt;
        interruptedAt = undefined;
        break;
      case "SignalReceived":
        entry.label = `SignalReceived ${e.name}`;
        break;
      default:
        break;
    }
    entries.push(entry);
  }
  const runStatus = statusOf(meta, now);
  const last = events[events.length - 1]?.ts;
  const ended = meta.terminal ? last : undefined;
  const timeline: RunTimeline = {
    runId,
    head: meta.head,
    durationMs: events.length > 0 ? (ended ?? Math.max(now, last ?? now)) - first : 0,
    status: timelineStatus(runStatus),
    runStatus,
    events: entries,
    actions: [...actions.values()],
  };
  if (events.length > 0) timeline.startedAt = first;
  if (ended !== undefined) timeline.endedAt = ended;
  return timeline;
}

/** The one-word status of a `RunStatus`. */
export function timelineStatus(status: RunStatus): TimelineStatus {
  if (status.type !== "blocked") return status.type;
  const b = status.blocked;
  if (b.interrupt) return "waiting_interrupt";
  if (b.waitSignal !== undefined) return "waiting_signal";
  if (b.timerAt !== undefined) return "waiting_timer";
  return "waiting_retry";
}

function actionName(action: Action): string {
  switch (action.type) {
    case "callTool":
      return action.tool;
    case "callLLM":
      return action.provider;
    case "sleep":
      return `${action.ms}ms`;
    case "waitSignal":
      return action.name;
  }
}
