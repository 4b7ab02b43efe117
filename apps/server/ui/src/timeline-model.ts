// What the timeline knows beyond single events, kept as events arrive: each action from request
// to outcome (attempts, duration), and how long an interrupt waited.
import type { Action } from "runlog";
import { formatDuration } from "./format.ts";
import type { ApiEvent } from "./types.ts";

/** One action from request to outcome. */
export interface ActionTrack {
  actionId: string;
  type: Action["type"];
  name: string;
  requestedSeq: number;
  requestedAt: number;
  /** Attempts made so far (1 until one fails and is retried). */
  attempts: number;
  /** `abandoned`: the run ended (cancelled) before the action did. */
  outcome: "pending" | "succeeded" | "failed" | "abandoned";
  endedAt?: number;
  durationMs?: number;
}

/** What the model adds to one event. */
export interface EventFacts {
  /** ms since the run's first event. */
  atMs: number;
  /** Action outcomes: since the request; `Resumed`: how long the interrupt waited. */
  durationMs?: number;
  action?: ActionTrack;
}

/** The name an action goes by: the tool, the provider, the sleep's length, the signal. */
export function actionName(action: Action): string {
  switch (action.type) {
    case "callTool":
      return action.tool;
    case "callLLM":
      return action.provider;
    case "sleep":
      return formatDuration(action.ms);
    case "waitSignal":
      return action.name;
  }
}

/** Folds events, in order, into per-event facts and the run's actions. */
export class TimelineModel {
  readonly actions = new Map<string, ActionTrack>();
  startedAt: number | undefined;
  lastSeq = 0;
  #interruptedAt: number | undefined;

  /** Adds the next event and returns what is known about it. */
  add(e: ApiEvent): EventFacts {
    this.startedAt ??= e.ts;
    this.lastSeq = Math.max(this.lastSeq, e.seq);
    const facts: EventFacts = { atMs: e.ts - this.startedAt };
    switch (e.type) {
      case "ActionRequested": {
        const track: ActionTrack = {
          actionId: e.actionId,
          type: e.action.type,
          name: actionName(e.action),
          requestedSeq: e.seq,
          requestedAt: e.ts,
          attempts: 1,
          outcome: "pending",
        };
        this.actions.set(e.actionId, track);
        facts.action = track;
        break;
      }
      case "ActionAttemptFailed":
      case "ActionSucceeded":
      case "ActionFailed": {
        const track = this.actions.get(e.actionId);
        if (!track) break;
        facts.action = track;
        facts.durationMs = e.ts - track.requestedAt;
        if (e.type === "ActionAttemptFailed") {
          track.attempts = e.attempt + 2;
        } else {
          track.outcome = e.type === "ActionSucceeded" ? "succeeded" : "failed";
          track.endedAt = e.ts;
          track.durationMs = facts.durationMs;
        }
        break;
      }
      case "Interrupted":
        this.#interruptedAt = e.ts;
        break;
      case "Cancelled":
      case "Completed":
        for (const track of this.actions.values()) {
          if (track.outcome === "pending") track.outcome = "abandoned";
        }
        break;
      case "Resumed":
        if (this.#interruptedAt !== undefined) facts.durationMs = e.ts - this.#interruptedAt;
        this.#interruptedAt = undefined;
        break;
      default:
        break;
    }
    return facts;
  }
}
