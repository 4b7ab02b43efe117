import { ValidationError } from "./errors.ts";
import type { SequencedEvent } from "./events.ts";
import type { LoadedRun } from "./restore.ts";

/** How often commits carry a snapshot (besides whenever the run blocks or ends). */
export interface SnapshotCadence {
  /** A snapshot after at least this many events. */
  every: number;
  /** The event interval also grows to this fraction of the last snapshot's seq (0: off). */
  growth: number;
  /**
   * A snapshot once the events since the last one hold this many characters of JSON, however few
   * they are, so a restore never folds more than about this much; `undefined`: events only.
   */
  bytes?: number | undefined;
}

/** Where a run stands since its last snapshot. */
export interface SinceSnapshot {
  /** The run's head and the seq of its last snapshot. */
  head: number;
  snapshotAt: number;
  /** Characters of event JSON committed since the last snapshot (counted only with `bytes`). */
  bytesSince: number;
}

/** True when the commit that brought the run to `s` should carry a snapshot (cadence alone). */
export function snapshotDue(s: SinceSnapshot, c: SnapshotCadence): boolean {
  const every = Math.max(c.every, Math.floor(s.snapshotAt * c.growth));
  if (s.head - s.snapshotAt >= every) return true;
  return c.bytes !== undefined && s.bytesSince >= c.bytes;
}

/** Characters of JSON the events carry: what a byte budget counts. */
export function eventBytes(events: readonly SequencedEvent[]): number {
  let n = 0;
  for (const se of events) n += JSON.stringify(se.event).length;
  return n;
}

/**
 * Counts a batch just applied to `run` toward the byte budget and tells whether its commit carries
 * a snapshot: always when the run blocks or ends (`settled`), else by the cadence.
 */
export function noteCommit(
  run: LoadedRun<unknown>,
  batch: readonly SequencedEvent[],
  c: SnapshotCadence,
  settled: boolean,
): boolean {
  if (c.bytes !== undefined) run.bytesSince = (run.bytesSince ?? 0) + eventBytes(batch);
  if (settled) return true;
  const since = {
    head: run.meta.head,
    snapshotAt: run.snapshotAt,
    bytesSince: run.bytesSince ?? 0,
  };
  return snapshotDue(since, c);
}

/** Notes a snapshot stored at `atSeq`: the budget starts over. */
export function noteSnapshot(run: LoadedRun<unknown>, atSeq: number): void {
  run.snapshotAt = atSeq;
  run.bytesSince = 0;
}

/**
 * Checks a byte budget given as an option.
 * @throws ValidationError naming the option when it is not a positive whole number.
 */
export function snapshotBytesOption(
  value: number | undefined,
  name = "snapshotBytes",
): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ValidationError(`${name} must be a whole number of bytes >= 1, got ${String(value)}`);
  }
  return value;
}
