// Wall clocks in IANA time zones through `Intl.DateTimeFormat`, which browsers, Workers and Node
// share. A "wall" time is a local date and time written as if it were UTC milliseconds, so plain
// `Date.UTC` arithmetic walks the local calendar.

import { ValidationError } from "../errors.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The structural part of `Intl.DateTimeFormat` used here (ES2023 declares it; kept small). */
interface PartsFormatter {
  formatToParts(date: number): Array<{ type: string; value: string }>;
}

// Filled on first use, never at import.
const formatters = new Map<string, PartsFormatter>();

function formatterFor(timeZone: string): PartsFormatter {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
        era: "short",
      });
    } catch (cause) {
      throw new ValidationError(`unknown time zone "${timeZone}"`, { cause });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Checks that `timeZone` is an IANA zone name this runtime knows.
 * @throws ValidationError naming the zone otherwise.
 */
export function assertTimeZone(timeZone: unknown): asserts timeZone is string {
  if (typeof timeZone !== "string" || timeZone === "") {
    throw new ValidationError(
      `time zone must be a non-empty string, got ${JSON.stringify(timeZone)}`,
    );
  }
  formatterFor(timeZone);
}

/** The UTC instant of a calendar date and time, also for years before 100. */
export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, 0, 0);
  return date.getTime();
}

/** The wall time in `timeZone` at instant `ms`, as wall milliseconds. */
export function wallAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of formatterFor(timeZone).formatToParts(whole)) {
    const n = Number(part.value);
    if (part.type === "year") year = n;
    else if (part.type === "month") month = n;
    else if (part.type === "day") day = n;
    else if (part.type === "hour") hour = n % 24;
    else if (part.type === "minute") minute = n;
    else if (part.type === "second") second = n;
    else if (part.type === "era") bc = part.value.startsWith("B");
  }
  if (bc) year = 1 - year;
  return utcMs(year, month, day, hour, minute) + second * 1000 + (ms - whole);
}

/** The zone's offset from UTC at instant `ms`, in milliseconds (east positive). */
export function offsetAt(ms: number, timeZone: string): number {
  return wallAt(ms, timeZone) - ms;
}

/** How a wall time maps to an instant; `gapMs` > 0 when the wall time does not exist. */
export interface Resolved {
  instant: number;
  gapMs: number;
}

/**
 * The instant a wall time stands for in `timeZone`. A wall time that occurs twice (clocks set
 * back) gives the earlier instant; one that does not exist (clocks set forward) is moved forward
 * by the length of the gap, as Temporal's "compatible" disambiguation does: 02:30 on a day New
 * York skips 02:00-03:00 is 03:30.
 */
export function resolveWall(wall: number, timeZone: string): Resolved {
  // At most one transition within a day either side: the offsets then are the candidates.
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const candidates = before === after ? [wall - before] : [wall - before, wall - after];
  const exact = candidates.filter((instant) => wallAt(instant, timeZone) === wall);
  if (exact.length > 0) return { instant: Math.min(...exact), gapMs: 0 };
  return { instant: wall - before, gapMs: Math.max(after - before, MINUTE) };
}

/** The smallest offset in effect within a day of `ms` (where a search of wall times must start). */
export function lowestOffsetAround(ms: number, timeZone: string): number {
  return Math.min(
    offsetAt(ms - DAY, timeZone),
    offsetAt(ms, timeZone),
    offsetAt(ms + DAY, timeZone),
  );
}
