import type { Action, ActionErrorData } from "./actions.ts";
import type { Json } from "./json.ts";

/**
 * Everything that can happen to a run. The seed's events keep their names; runlog adds retries,
 * signals, cancellation, hosting, forks and recorded randomness.
 */
export type Event =
  | {
      type: "RunStarted";
      workflow: string;
      input: Json;
      version: number;
      /**
       * The event format the run was written in (`EVENT_FORMAT` when it started). Absent in logs
       * written before the format was recorded: they read as format 0, which is format 1's events.
       */
      format?: number;
      /**
       * The behaviour flags the run decides by (`BehaviourFlag`), recorded once when it started.
       * Absent in logs written before flags were recorded: `flagsOf` reads them from `format`.
       */
      flags?: string[];
    }
  | { type: "StateUpdated"; stepId?: string; payload: Json }
  | { type: "ActionRequested"; actionId: string; action: Action }
  | {
      type: "ActionAttemptFailed";
      actionId: string;
      attempt: number;
      error: ActionErrorData;
      retryAt?: number;
    }
  | { type: "ActionSucceeded"; actionId: string; output: Json }
  | { type: "ActionFailed"; actionId: string; error: ActionErrorData }
  | { type: "Interrupted"; interruptId: string; value: Json }
  | { type: "Resumed"; interruptId?: string; value: Json }
  | { type: "SignalReceived"; name: string; value: Json; signalId: string }
  | { type: "Completed"; output?: Json }
  | { type: "Cancelled"; reason: string }
  | { type: "Forked"; fromRunId: string; atSeq: number }
  | { type: "RandomDrawn"; values: number[] };

/**
 * The event format this runlog writes, recorded in each new run's `RunStarted`. A change to what
 * events mean or hold that an older runlog could not read raises it; logs of every older format
 * (and those without one) stay readable, and one of a newer format is refused on import.
 */
export const EVENT_FORMAT = 1;

/** The name of an event type. */
export type EventType = Event["type"];

/** The event of type `T`. */
export type EventOf<T extends EventType> = Extract<Event, { type: T }>;

/** Every event type, in the order the docs list them. */
export const EVENT_TYPES: readonly EventType[] = [
  "RunStarted",
  "StateUpdated",
  "ActionRequested",
  "ActionAttemptFailed",
  "ActionSucceeded",
  "ActionFailed",
  "Interrupted",
  "Resumed",
  "SignalReceived",
  "Completed",
  "Cancelled",
  "Forked",
  "RandomDrawn",
];

/** An event as committed: `seq` counts 1, 2, 3, … per run; `ts` is ms since the epoch. */
export interface SequencedEvent<E extends Event = Event> {
  seq: number;
  ts: number;
  event: E;
}

/** Numbers events from `head + 1`, all stamped with one commit time. */
export function sequence(events: readonly Event[], head: number, ts: number): SequencedEvent[] {
  return events.map((event, i) => ({ seq: head + 1 + i, ts, event }));
}
