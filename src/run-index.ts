import { ValidationError } from "./errors.ts";
import { pendingActions, type RunMeta } from "./run-meta.ts";
import { type RunStatus, statusOf } from "./run-status.ts";

/** One run as lists show it; stores that keep an index update it in the commit's transaction. */
export interface RunSummary {
  runId: string;
  workflow?: string;
  version?: number;
  status: RunStatus["type"];
  waitingOn?: "interrupt" | "signal" | "timer" | "retry";
  /** When a timer or a retry backoff is due: the host's waker re-arms from this. */
  wakeAt?: number;
  head: number;
  createdAt: number;
  updatedAt: number;
}

/** Which runs to list: newest first, `limit` at a time, `cursor` from the previous page. */
export interface RunQuery {
  status?: RunStatus["type"];
  limit?: number;
  cursor?: string;
}

/** A page of runs. */
export interface RunPage {
  runs: RunSummary[];
  nextCursor?: string;
}

/**
 * The list of runs a store keeps. An implementation must guarantee: `getRun` returns the summary
 * of the last commit (or `undefined`), except that `createdAt` may stay the one of the run's first
 * summary (a run's creation time never changes); `listRuns` orders newest first by `createdAt` then `runId`,
 * filters by status, and its cursors walk every run exactly once; `wakingRuns` returns the runs
 * with a `wakeAt`, soonest first.
 */
export interface RunIndex {
  getRun(runId: string): Promise<RunSummary | undefined>;
  listRuns(query?: RunQuery): Promise<RunPage>;
  wakingRuns(limit?: number): Promise<RunSummary[]>;
}

/** The summary a commit leaves behind, from the kernel's meta at the commit's time. */
export function summarize(runId: string, meta: RunMeta, now: number): RunSummary {
  const status = statusOf(meta, now);
  const summary: RunSummary = {
    runId,
    status: status.type,
    head: meta.head,
    createdAt: meta.forkedAt ?? meta.firstTs,
    updatedAt: meta.lastTs,
  };
  if (meta.workflow) {
    summary.workflow = meta.workflow.name;
    summary.version = meta.workflow.version;
  }
  if (status.type === "blocked") {
    const b = status.blocked;
    summary.waitingOn = b.interrupt
      ? "interrupt"
      : b.waitSignal !== undefined
        ? "signal"
        : b.timerAt !== undefined
          ? "timer"
          : "retry";
  }
  // A pending timer or backoff is due at a time whether or not it has passed: the waker needs it.
  const pending = meta.pending;
  if (!meta.terminal && !meta.interrupt && pending) {
    const retries = meta.more ? pendingActions(meta).map((p) => p.retryAt) : [pending.retryAt];
    const due = retries.filter((at): at is number => at !== undefined);
    const at =
      pending.action.type === "sleep"
        ? pending.timerAt
        : due.length > 0
          ? Math.min(...due)
          : undefined;
    if (at !== undefined) summary.wakeAt = at;
  }
  return summary;
}

/** Encodes a list position as an opaque cursor. */
export function encodeCursor(summary: Pick<RunSummary, "createdAt" | "runId">): string {
  return `${summary.createdAt}~${summary.runId}`;
}

/** Decodes a cursor from `encodeCursor`; `undefined` for a malformed one. */
export function decodeCursor(cursor: string): { createdAt: number; runId: string } | undefined {
  const at = cursor.indexOf("~");
  if (at <= 0) return undefined;
  const createdAt = Number(cursor.slice(0, at));
  if (!Number.isSafeInteger(createdAt)) return undefined;
  return { createdAt, runId: cursor.slice(at + 1) };
}

/** True when `a` comes before `b` in list order (newest first, then runId descending). */
export function listsBefore(
  a: Pick<RunSummary, "createdAt" | "runId">,
  b: Pick<RunSummary, "createdAt" | "runId">,
): boolean {
  return a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.runId > b.runId);
}

/**
 * Reads the `cursor` of a list query.
 * @throws ValidationError for a cursor no store gave out.
 */
export function parseCursor(
  cursor: string | undefined,
): { createdAt: number; runId: string } | undefined {
  if (cursor === undefined) return undefined;
  const decoded = decodeCursor(cursor);
  if (!decoded)
    throw new ValidationError(
      `cursor ${JSON.stringify(cursor.slice(0, 100))} is not one a list of runs gave out`,
    );
  return decoded;
}
