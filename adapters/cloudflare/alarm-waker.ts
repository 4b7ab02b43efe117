import type { Clock, Waker } from "../../src/index.ts";
import type { SqlStorageLike } from "./sql-storage.ts";

/** The part of a Durable Object's `ctx.storage` the alarm waker uses. */
export interface AlarmStorageLike {
  readonly sql: SqlStorageLike;
  setAlarm(scheduledTime: number): Promise<void> | void;
  deleteAlarm(): Promise<void> | void;
}

/** A run in the object's own index that may need waking. */
export interface WakeCandidate {
  runId: string;
  status: string;
  workflow: string | null;
  version: number | null;
  wakeAt: number | null;
}

/** What `AlarmWaker` is made of. */
export interface AlarmWakerOptions {
  /** Runs whose workflow this object can drive; others (their workflow gone) are never woken. */
  isDrivable?: (run: WakeCandidate) => boolean;
  /** Another reason to wake (e.g. a run index report to retry), at this time or `undefined`. */
  extra?: () => number | undefined;
  /** How long a run may stay `running` without a commit before the alarm re-drives it. */
  watchdogMs?: number;
}

/** Default `watchdogMs`: a run left `running` (its object evicted mid-action) is re-driven after a minute. */
export const WATCHDOG_MS = 60_000;

/**
 * A `Waker` on a Durable Object's one alarm, kept at the earliest time anything is due. What is
 * due comes from the object's storage (the `wake_at` of each sleeping or backing-off run, and a
 * watchdog for runs left `running`), so it survives eviction, plus what the host scheduled in this
 * instance (which takes precedence for its run, e.g. the backoff after a failed drive). The
 * object's `alarm()` takes `due()`, wakes those runs and calls `rearm()`.
 */
export class AlarmWaker implements Waker {
  readonly #storage: AlarmStorageLike;
  readonly #clock: Clock;
  readonly #options: AlarmWakerOptions;
  readonly #scheduled = new Map<string, number>();
  /** The alarm as this instance last set it: `undefined` when unknown, `null` for none. */
  #armed: number | null | undefined;
  #closed = false;

  constructor(storage: AlarmStorageLike, clock: Clock, options: AlarmWakerOptions = {}) {
    this.#storage = storage;
    this.#clock = clock;
    this.#options = options;
  }

  schedule(runId: string, at: number): void {
    if (this.#closed) return;
    this.#scheduled.set(runId, at);
    this.arm();
  }

  cancel(runId: string): void {
    this.#scheduled.delete(runId);
    this.arm();
  }

  /** Forgets this instance's schedule; the stored alarm stays, so durable wake-ups still come. */
  close(): void {
    this.#closed = true;
    this.#scheduled.clear();
  }

  /** The runs due now, earliest first; their wake-ups scheduled in this instance are consumed. */
  due(): string[] {
    const now = this.#clock.now();
    const due = [...this.#times(now)].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]);
    // A run left `running` has its watchdog in the future but is due when any alarm fires: the
    // alarm may be the one set before the object was evicted mid-action.
    const running = this.#candidates()
      .filter((run) => run.status === "running" && !this.#scheduled.has(run.runId))
      .map((run) => run.runId);
    const ids = [...new Set([...due.map(([runId]) => runId), ...running])];
    for (const runId of ids) {
      if ((this.#scheduled.get(runId) ?? Number.POSITIVE_INFINITY) <= now) {
        this.#scheduled.delete(runId);
      }
    }
    return ids;
  }

  /** Call when the alarm has fired: sets the next one, no sooner than `minDelayMs` from now. */
  rearm(minDelayMs = 1000): void {
    this.#armed = undefined;
    this.arm(this.#clock.now() + minDelayMs);
  }

  /** Sets (or deletes) the alarm to the earliest due time, not before `notBefore`. */
  arm(notBefore = 0): void {
    if (this.#closed) return;
    const now = this.#clock.now();
    let next = this.#options.extra?.() ?? Number.POSITIVE_INFINITY;
    for (const at of this.#times(now).values()) next = Math.min(next, at);
    const target = Number.isFinite(next) ? Math.max(next, notBefore) : null;
    if (target === this.#armed) return;
    this.#armed = target;
    const done = target === null ? this.#storage.deleteAlarm() : this.#storage.setAlarm(target);
    // A failed storage write breaks the object's output gate and restarts it: nothing to add here.
    void Promise.resolve(done).catch(() => undefined);
  }

  /** Each run's next wake-up: what this instance scheduled, else what its storage says. */
  #times(now: number): Map<string, number> {
    const times = new Map<string, number>();
    const watchdog = now + (this.#options.watchdogMs ?? WATCHDOG_MS);
    for (const run of this.#candidates()) {
      const at = run.wakeAt ?? (run.status === "running" ? watchdog : undefined);
      if (at !== undefined) times.set(run.runId, at);
    }
    for (const [runId, at] of this.#scheduled) times.set(runId, at);
    return times;
  }

  #candidates(): WakeCandidate[] {
    const isDrivable = this.#options.isDrivable ?? (() => true);
    return this.#storage.sql
      .exec<{
        run_id: string;
        status: string;
        workflow: string | null;
        version: number | null;
        wake_at: number | null;
      }>(
        `SELECT run_id, status, workflow, version, wake_at FROM runlog_runs
         WHERE wake_at IS NOT NULL OR status = 'running'`,
      )
      .toArray()
      .map((row) => ({
        runId: row.run_id,
        status: row.status,
        workflow: row.workflow,
        version: row.version,
        wakeAt: row.wake_at,
      }))
      .filter(isDrivable);
  }
}
