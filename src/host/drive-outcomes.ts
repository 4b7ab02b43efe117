import { ConcurrencyError, toErrorData } from "../errors.ts";
import type { DriveOutcome } from "../kernel.ts";
import type { Clock } from "../ports.ts";
import type { RunIndex } from "../run-index.ts";
import { isTerminal, wakeAt } from "../run-status.ts";
import type { RunContexts } from "./run-contexts.ts";
import type { Waker } from "./waker.ts";

/** What a host's drive outcomes act on. */
export interface OutcomeParts {
  runs: RunContexts;
  waker: Waker;
  clock: Clock;
  store: RunIndex;
  maxIdleRuns?: number | undefined;
  onError?: ((runId: string, error: unknown) => void) | undefined;
  closing(): boolean;
}

/**
 * What a host does when a run's drive settles: arms the run's wake-up, keeps the most recently
 * active waiting runs in memory and releases the others, and reports failed drives (once per
 * change) and retries them after a backoff.
 */
export class DriveOutcomes {
  readonly #o: OutcomeParts;
  // Waiting runs still held in memory, least recently active first.
  readonly #idle = new Set<string>();
  readonly #errors = new Map<string, { code: string; message: string }>();
  readonly #failures = new Map<string, number>();

  constructor(parts: OutcomeParts) {
    this.#o = parts;
  }

  /** The error of the run's last drive, when it failed. */
  errorOf(runId: string): { code: string; message: string } | undefined {
    return this.#errors.get(runId);
  }

  /** Arms (or cancels) the run's wake-up as its summary says: another writer moved it. */
  followTimer(runId: string): void {
    void this.#o.store.getRun(runId).then(
      (summary) => {
        if (this.#o.closing()) return;
        if (summary?.wakeAt !== undefined) this.#o.waker.schedule(runId, summary.wakeAt);
        else this.#o.waker.cancel(runId);
      },
      () => undefined,
    );
  }

  /** The run left memory. */
  forget(runId: string): void {
    this.#idle.delete(runId);
  }

  /** A drive settled: arm the run's wake-up, keep or release it, or report and retry a failure. */
  settled(runId: string, outcome: DriveOutcome): void {
    const ctx = this.#o.runs.peek(runId);
    if ("error" in outcome) {
      void this.#failed(runId, outcome.error);
      return;
    }
    const status = outcome.status;
    this.#errors.delete(runId);
    this.#failures.delete(runId);
    // A drive that ends with due work (a timer that came due while the drive was settling, after
    // a wake-up that fired a moment early) is re-driven at once, never left unarmed.
    const at = wakeAt(status) ?? (status.type === "running" ? this.#o.clock.now() : undefined);
    if (at !== undefined && !this.#o.closing()) this.#o.waker.schedule(runId, at);
    else this.#o.waker.cancel(runId);
    this.#idle.delete(runId);
    if (isTerminal(status)) this.#o.runs.delete(runId, ctx);
    else if (status.type === "blocked") this.#holdIdle(runId);
  }

  /**
   * After a failed drive (a store that failed, a step that threw), wakes the run again after a
   * backoff that doubles from a second up to a minute, or at its timer when that is still ahead
   * and sooner. A timer already due never shortens the backoff: a store that keeps failing would
   * otherwise be retried in a hot loop. Another writer's conflict is retried without a report.
   */
  async #failed(runId: string, error: unknown): Promise<void> {
    if (!ConcurrencyError.is(error)) {
      const data = toErrorData(error);
      const last = this.#errors.get(runId);
      this.#errors.set(runId, { code: data.code, message: data.message });
      // Reported once per change: a store that keeps failing the same way is heard of once.
      if (last?.code !== data.code || last.message !== data.message)
        this.#o.onError?.(runId, error);
    }
    if (this.#o.closing()) return;
    const failures = (this.#failures.get(runId) ?? 0) + 1;
    this.#failures.set(runId, failures);
    const now = this.#o.clock.now();
    const backoff = now + retryBackoffMs(failures);
    const summary = await this.#o.store.getRun(runId).catch(() => undefined);
    const timer = summary?.wakeAt;
    const at = timer !== undefined && timer > now ? Math.min(timer, backoff) : backoff;
    const ended = summary && ["completed", "failed", "cancelled"].includes(summary.status);
    if (!ended && !this.#o.closing()) this.#o.waker.schedule(runId, at);
  }

  /**
   * Keeps a waiting run in memory among the most recently active few. Holding every waiting
   * run's state would grow with the number of runs (1,000 runs with 100 KB inputs: +343 MiB);
   * holding none would make a run that waits often replay its code at every wait.
   */
  #holdIdle(runId: string): void {
    const bound = this.#o.maxIdleRuns ?? 64;
    this.#idle.add(runId);
    while (this.#idle.size > bound) {
      const oldest = this.#idle.values().next().value as string;
      this.#idle.delete(oldest);
      this.#o.runs.delete(oldest);
    }
  }
}

/** The wait before the next drive after `failures` failed ones in a row: 1 s, 2 s, 4 s, … 60 s. */
function retryBackoffMs(failures: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.min(16, Math.max(0, failures - 1)));
}
