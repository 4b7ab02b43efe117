// Fixed intervals: fire at `anchorMs + k × everyMs` for k = 0, 1, 2, …

import { ValidationError } from "../errors.ts";

/** The smallest interval a schedule accepts. */
export const MIN_EVERY_MS = 1000;

/** A fixed interval anchored at a start time: fires at `anchorMs`, `anchorMs + everyMs`, … */
export interface IntervalSpec {
  type: "interval";
  /** Milliseconds between fires: a whole number, at least 1,000. */
  everyMs: number;
  /** The first fire time (ms since epoch); usually when the schedule was made. */
  anchorMs: number;
}

/**
 * Checks an interval spec.
 * @throws ValidationError when `everyMs` is not a whole number ≥ 1,000 or `anchorMs` not a time.
 */
export function assertIntervalSpec(spec: IntervalSpec): void {
  const { everyMs, anchorMs } = spec;
  if (typeof everyMs !== "number" || !Number.isSafeInteger(everyMs) || everyMs < MIN_EVERY_MS) {
    throw new ValidationError(
      `everyMs must be a whole number of milliseconds, at least ${MIN_EVERY_MS}; got ${String(everyMs)}`,
    );
  }
  if (typeof anchorMs !== "number" || !Number.isSafeInteger(anchorMs)) {
    throw new ValidationError(
      `anchorMs must be a whole number of milliseconds; got ${String(anchorMs)}`,
    );
  }
}

/** The index k of the last fire at or before `ms` (-1 when none). */
export function lastIndexAtOrBefore(spec: IntervalSpec, ms: number): number {
  if (ms < spec.anchorMs) return -1;
  return Math.floor((ms - spec.anchorMs) / spec.everyMs);
}

/** The first fire strictly after `afterMs`. */
export function nextIntervalFire(spec: IntervalSpec, afterMs: number): number {
  return spec.anchorMs + (lastIndexAtOrBefore(spec, afterMs) + 1) * spec.everyMs;
}
