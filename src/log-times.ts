import { ValidationError } from "./errors.ts";
import type { SequencedEvent } from "./events.ts";

/** How far ahead of the importing host's clock an event's `ts` may be: one day of clock skew. */
export const MAX_FUTURE_MS = 86_400_000;

/**
 * How far an event's `ts` may fall behind the one before it. The kernel never writes a smaller
 * `ts` than its last; the minute allows for logs written by older versions across a clock step.
 */
export const MAX_BACKSTEP_MS = 60_000;

/** The largest time a JavaScript `Date` can hold. */
const MAX_DATE_MS = 8_640_000_000_000_000;

/**
 * Checks that a log's times could have been written by a kernel: each `ts` a number of ms since
 * the epoch (0 or more), none more than `MAX_BACKSTEP_MS` before the one before it, and, when
 * `now` is given, none more than `MAX_FUTURE_MS` after it.
 * @throws ValidationError naming the first implausible seq.
 */
export function assertPlausibleTimes(events: readonly SequencedEvent[], now?: number): void {
  const latest = now === undefined ? MAX_DATE_MS : Math.min(MAX_DATE_MS, now + MAX_FUTURE_MS);
  let previous: number | undefined;
  for (const se of events) {
    const ts = se.ts;
    if (typeof ts !== "number" || !Number.isFinite(ts) || ts < 0) {
      throw new ValidationError(
        `seq ${se.seq}: ts ${String(ts)} is not a time (ms since 1970, 0 or more)`,
      );
    }
    if (ts > latest) {
      throw new ValidationError(
        now === undefined
          ? `seq ${se.seq}: ts ${ts} is past the last time a date can hold`
          : `seq ${se.seq}: ts ${ts} is more than a day after this host's clock (${now})`,
      );
    }
    if (previous !== undefined && ts < previous - MAX_BACKSTEP_MS) {
      throw new ValidationError(
        `seq ${se.seq}: ts ${ts} is more than ${MAX_BACKSTEP_MS / 1000} s before the event before it (${previous})`,
      );
    }
    previous = ts;
  }
}
