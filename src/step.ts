import type { Action } from "./actions.ts";
import type { Event } from "./events.ts";
import type { Json } from "./json.ts";

/** What the step function decided. */
export type Next =
  | { type: "emit"; events: Event[] }
  | { type: "do"; action: Action }
  | { type: "interrupt"; value: Json; interruptId?: string }
  | { type: "complete"; output?: Json };

/** The deterministic context a step sees. */
export interface StepContext {
  readonly runId: string;
  /** The `ts` of the last committed event: the same on every replay. */
  now(): number;
  /** A float in [0, 1), recorded in the log so that replay and verify see the same value. */
  random(): number;
}

/**
 * Looks at state and decides what is next. It must be pure: the same state and context give the
 * same decision, with no I/O, clock or randomness of its own.
 */
export interface StepFn<S> {
  next(state: S, ctx: StepContext): Next | Promise<Next>;
}

/** Builders for `Next`, so steps read as sentences. */
export const next = {
  emit: (...events: Event[]): Next => ({ type: "emit", events }),
  do: (action: Action): Next => ({ type: "do", action }),
  interrupt: (value: Json, interruptId?: string): Next =>
    interruptId === undefined
      ? { type: "interrupt", value }
      : { type: "interrupt", value, interruptId },
  complete: (output?: Json): Next =>
    output === undefined ? { type: "complete" } : { type: "complete", output },
} as const;
