// The next fire time of a schedule spec: cron in a time zone, or a fixed interval.

import { ValidationError } from "../errors.ts";
import type { CronSpec } from "./cron.ts";
import { assertIntervalSpec, type IntervalSpec, nextIntervalFire } from "./interval.ts";
import { assertTimeZone, lowestOffsetAround, resolveWall, utcMs } from "./time-zone.ts";

/** What a schedule fires on: a parsed cron expression or a fixed interval. */
export type ScheduleSpec = CronSpec | IntervalSpec;

const MINUTE = 60_000;
/** Every valid expression fires within 8 years (Feb 29 across 2100); past this, give up. */
const SEARCH_YEARS = 12;
/** Leaves room for the search inside `Date`'s range (±8.64e15 ms). */
const MAX_TIME_MS = 8e15;

/**
 * The first instant (ms since epoch) strictly after `afterMs` at which `spec` fires. A cron spec
 * fires when the wall clock in `timeZone` (IANA name, default `UTC`) matches: a wall time that
 * occurs twice (clocks set back) fires once, at its first occurrence; one that does not exist
 * (clocks set forward) fires moved forward by the gap (02:30 on a day that skips 02:00-03:00
 * fires at 03:30). An interval spec ignores `timeZone`.
 * @throws ValidationError for an unknown time zone, a bad interval or a non-finite `afterMs`.
 */
export function nextFireAt(spec: ScheduleSpec, afterMs: number, timeZone = "UTC"): number {
  if (typeof afterMs !== "number" || !(Math.abs(afterMs) <= MAX_TIME_MS)) {
    throw new ValidationError(
      `afterMs must be a finite number of milliseconds within ±${MAX_TIME_MS}; got ${String(afterMs)}`,
    );
  }
  if (spec?.type === "interval") {
    assertIntervalSpec(spec);
    return nextIntervalFire(spec, afterMs);
  }
  if (spec?.type !== "cron" || !Array.isArray(spec.minutes)) {
    throw new ValidationError("schedule spec must be a parsed cron spec or an interval spec");
  }
  assertTimeZone(timeZone);
  return nextCronFire(spec, afterMs, timeZone);
}

function nextCronFire(spec: CronSpec, afterMs: number, timeZone: string): number {
  // A wall time before the zone's current wall clock can still fire after `afterMs` when it lies
  // in a gap the clocks just skipped; starting at the lowest recent offset covers it.
  let wall = nextWall(spec, afterMs + lowestOffsetAround(afterMs, timeZone));
  let best: number | undefined;
  let until = Number.POSITIVE_INFINITY;
  while (wall <= until) {
    const { instant, gapMs } = resolveWall(wall, timeZone);
    if (instant > afterMs && (best === undefined || instant < best)) {
      // A skipped wall time moves forward by the gap, past real wall times up to a gap later
      // that may fire sooner; look that far, and no further.
      if (best === undefined) until = wall + gapMs;
      best = instant;
    }
    wall = nextWall(spec, wall + MINUTE);
  }
  return best as number;
}

/** The first wall time at or after `from` (wall ms) whose fields match `spec`. */
function nextWall(spec: CronSpec, from: number): number {
  let t = Math.ceil(from / MINUTE) * MINUTE;
  const stop = t + SEARCH_YEARS * 366 * 86_400_000;
  while (t <= stop) {
    const d = new Date(t);
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    if (!spec.months.includes(month)) {
      t = utcMs(year, month + 1, 1);
      continue;
    }
    if (!dayMatches(spec, day, d.getUTCDay())) {
      t = utcMs(year, month, day + 1);
      continue;
    }
    const hour = firstAtLeast(spec.hours, d.getUTCHours());
    if (hour === undefined) {
      t = utcMs(year, month, day + 1);
      continue;
    }
    if (hour > d.getUTCHours()) {
      t = utcMs(year, month, day, hour);
      continue;
    }
    const minute = firstAtLeast(spec.minutes, d.getUTCMinutes());
    if (minute === undefined) {
      t = utcMs(year, month, day, hour + 1);
      continue;
    }
    return utcMs(year, month, day, hour, minute);
  }
  throw new ValidationError(`cron "${spec.expression}" does not fire within ${SEARCH_YEARS} years`);
}

function dayMatches(spec: CronSpec, day: number, weekday: number): boolean {
  const dom = spec.daysOfMonth.includes(day);
  const dow = spec.daysOfWeek.includes(weekday);
  return spec.dayMatch === "either" ? dom || dow : dom && dow;
}

function firstAtLeast(values: readonly number[], at: number): number | undefined {
  for (const v of values) if (v >= at) return v;
  return undefined;
}
