// Catch-up after downtime: which fire times were missed between the last one handled and now,
// and which one (if any) to start under the policies `skip` and `run_once`.

import { ValidationError } from "../errors.ts";
import { lastIndexAtOrBefore } from "./interval.ts";
import { nextFireAt, type ScheduleSpec } from "./next-fire.ts";

/** `skip`: missed fires are dropped; `run_once`: the latest missed fire runs, once. */
export type CatchUpPolicy = "skip" | "run_once";

/** The default and the largest number of missed fire times reported. */
export const DEFAULT_MISSED_LIMIT = 100;
export const MAX_MISSED_LIMIT = 10_000;

/** Options of `planCatchUp`. */
export interface CatchUpOptions {
  policy: CatchUpPolicy;
  /** For cron specs; default `UTC`. */
  timeZone?: string;
  /** A fire due at most this long before `nowMs` is on time, not missed (default 0). */
  graceMs?: number;
  /** At most this many missed fire times are listed (default 100, at most 10,000). */
  limit?: number;
}

/** What to do about the fires due in `(lastMs, nowMs]`. */
export interface CatchUpPlan {
  /** The fire to start now (its due time, from which the run id derives), or none. */
  run: number | undefined;
  /**
   * Missed fires not started, ascending: the most recent ones, never more than `limit`;
   * `truncated` says older ones were left out.
   */
  skipped: number[];
  truncated: boolean;
  /** The last fire time now handled: the latest fire due by `nowMs`, else `lastMs`. */
  lastMs: number;
  /** The first fire strictly after `nowMs`. */
  nextMs: number;
}

/**
 * Plans the catch-up of a schedule whose last handled fire was `lastMs`, at `nowMs`. The fires due
 * in `(lastMs, nowMs]` are considered; only the latest can run: under `skip` when it is on time
 * (due within `graceMs` of `nowMs`), under `run_once` always. The rest are listed as skipped (the
 * most recent `limit` of them), so a schedule down for a year of minutes costs a bounded amount.
 * @throws ValidationError for bad times, a bad policy, limit or grace, or a bad spec or zone.
 */
export function planCatchUp(
  spec: ScheduleSpec,
  lastMs: number,
  nowMs: number,
  options: CatchUpOptions,
): CatchUpPlan {
  const { policy, timeZone = "UTC", graceMs = 0, limit = DEFAULT_MISSED_LIMIT } = options;
  if (policy !== "skip" && policy !== "run_once") {
    throw new ValidationError(
      `catch-up policy must be "skip" or "run_once", got ${JSON.stringify(policy)}`,
    );
  }
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_MISSED_LIMIT) {
    throw new ValidationError(
      `limit must be a whole number from 1 to ${MAX_MISSED_LIMIT}, got ${String(limit)}`,
    );
  }
  if (typeof graceMs !== "number" || !(graceMs >= 0) || !Number.isFinite(graceMs)) {
    throw new ValidationError(`graceMs must be a finite number ≥ 0, got ${String(graceMs)}`);
  }
  if (!Number.isFinite(lastMs) || !Number.isFinite(nowMs) || nowMs < lastMs) {
    throw new ValidationError(
      `need finite times with lastMs ≤ nowMs; got lastMs ${lastMs}, nowMs ${nowMs}`,
    );
  }
  // nextFireAt validates the spec and the zone.
  const nextMs = nextFireAt(spec, nowMs, timeZone);
  // limit + 2: enough to fill `skipped` after the one that runs and still see if one was left out.
  const times = recentFires(spec, lastMs, nowMs, timeZone, limit + 2);
  const latest = times.at(-1);
  const runs = latest !== undefined && (policy === "run_once" || latest >= nowMs - graceMs);
  const rest = runs ? times.slice(0, -1) : times;
  return {
    run: runs ? latest : undefined,
    skipped: rest.slice(-limit),
    truncated: rest.length > limit,
    lastMs: latest ?? lastMs,
    nextMs,
  };
}

/** The most recent `count` fires in `(lastMs, nowMs]`, ascending (all of them when fewer). */
function recentFires(
  spec: ScheduleSpec,
  lastMs: number,
  nowMs: number,
  timeZone: string,
  count: number,
): number[] {
  if (spec.type === "interval") {
    const lastK = lastIndexAtOrBefore(spec, nowMs);
    const firstK = lastIndexAtOrBefore(spec, lastMs) + 1;
    const from = Math.max(firstK, lastK - count + 1);
    const times: number[] = [];
    for (let k = from; k <= lastK; k++) times.push(spec.anchorMs + k * spec.everyMs);
    return times;
  }
  // Look back from now over a window that grows fourfold until it holds `count` fires or reaches
  // lastMs: the work stays near the number of fires kept, however long the downtime was.
  for (let span = 3_600_000; ; span *= 4) {
    const from = Math.max(lastMs, nowMs - span);
    const ring: number[] = [];
    let seen = 0;
    for (let t = nextFireAt(spec, from, timeZone); t <= nowMs; t = nextFireAt(spec, t, timeZone)) {
      ring.push(t);
      // Trimmed in halves: amortised constant work per fire, at most twice `count` kept.
      if (ring.length >= 2 * count) ring.splice(0, ring.length - count);
      seen++;
    }
    if (seen >= count || from === lastMs) return ring.slice(-count);
  }
}
