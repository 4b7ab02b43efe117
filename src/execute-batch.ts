import type { Event } from "./events.ts";
import { attempt, type Commit, cancelledEvents, type PendingDeps } from "./execute-pending.ts";
import type { LoadedRun } from "./restore.ts";
import { type PendingAction, pendingActions } from "./run-meta.ts";

/**
 * Runs the unfinished actions of a batch (`doAll`) concurrently, each with its own attempts and
 * retries, and records each outcome as it arrives (one commit at a time). A failure that ends the
 * run stops the others, unrecorded; a cancel stops them all and records each as `cancelled`.
 * Returns true when the run is blocked: every unfinished action waits out a durable backoff.
 */
export async function executeBatch<S>(
  deps: PendingDeps,
  runId: string,
  run: LoadedRun<S>,
  commit: Commit,
): Promise<boolean> {
  const now = deps.now();
  const due = pendingActions(run.meta).filter((p) => p.retryAt === undefined || p.retryAt <= now);
  if (due.length === 0) return true;
  let tail: Promise<void> = Promise.resolve();
  // Outcomes arrive in any order; their commits go one after another, never after the run ended.
  const serial = (events: Event[] | ((ts: number) => Event[])): Promise<void> => {
    const next = tail.then(() => (run.meta.terminal ? undefined : commit(events)));
    tail = next.catch(() => undefined);
    return next;
  };
  const halts = new Set<() => void>();
  let ended = false;
  let cancelled = false;
  const stopAll = () => {
    ended = true;
    for (const halt of halts) halt();
  };
  const runOne = async (p: PendingAction): Promise<void> => {
    for (;;) {
      if (ended || run.meta.terminal) return;
      let halt: (() => void) | undefined;
      const done = await attempt(deps, runId, p, (h) => {
        halt = h;
        halts.add(h);
      });
      if (halt) halts.delete(halt);
      if (done.type === "cancelled") {
        cancelled = true;
        return;
      }
      if (done.type === "halted" || ended) return;
      try {
        await serial(done.events);
      } catch (error) {
        stopAll();
        throw error;
      }
      if (run.meta.terminal) return stopAll();
      if (done.type !== "again") return;
      if (done.afterMs > 0) await deps.scheduler.sleep(done.afterMs);
    }
  };
  const settled = await Promise.allSettled(due.map(runOne));
  await tail;
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const reason = deps.aborts.requested(runId);
  if ((cancelled || reason !== undefined) && reason !== undefined && !run.meta.terminal) {
    await commit(cancelledEvents(runId, pendingActions(run.meta), reason));
    return false;
  }
  const left = pendingActions(run.meta);
  const later = deps.now();
  return (
    !run.meta.terminal &&
    left.length > 0 &&
    left.every((p) => p.retryAt !== undefined && p.retryAt > later)
  );
}
