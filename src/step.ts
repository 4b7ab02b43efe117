import type { Action } from "./actions.ts";
import type { Event } from "./events.ts";
import type { Json } from "./json.ts";
import type { LiveSlot } from "./live-cache.ts";

/** What the step function decided. */
export type Next =
  | { type: "emit"; events: Event[] }
  | { type: "do"; action: Action }
  /** Several tool or LLM calls requested in one commit, run concurrently. */
  | { type: "doAll"; actions: Action[] }
  | { type: "interrupt"; value: Json; interruptId?: string }
  | { type: "complete"; output?: Json };

/** The deterministic context a step sees. */
export interface StepContext {
  readonly runId: string;
  /** The `ts` of the last committed event: the same on every replay. */
  now(): number;
  /** A float in [0, 1), recorded in the log so that replay and verify see the same value. */
  random(): number;
  /**
   * Where a step may keep something for this run's next decision (a workflow's continuation)
   * while the process lives. Verify passes one of its own, so the code it re-drives from the start
   * of the log is never the live code of the run.
   */
  readonly live?: LiveSlot;
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
  doAll: (...actions: Action[]): Next => ({ type: "doAll", actions }),
  interrupt: (value: Json, interruptId?: string): Next =>
    interruptId === undefined
      ? { type: "interrupt", value }
      : { type: "interrupt", value, interruptId },
  complete: (output?: Json): Next =>
    output === undefined ? { type: "complete" } : { type: "complete", output },
} as const;
