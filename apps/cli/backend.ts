import type {
  Event,
  ExportedRun,
  Json,
  RunInfo,
  RunPage,
  RunQuery,
  RunTimeline,
  SequencedEvent,
  VerifyReport,
  WorkflowInfo,
} from "../../src/index.ts";
import type { Progress } from "./progress.ts";

/** A run as `start` answers it: `existed` when the run id was already there. */
export type StartedRun = RunInfo & { existed?: boolean };

/**
 * What the commands need, over a database file (`LocalBackend`, a Node host in this process) or
 * a server (`HttpBackend`, its HTTP API). Errors are the core's, or a `CliError`.
 */
export interface Backend {
  /** Where the runs are, for messages: the database path or the server's URL. */
  readonly where: string;
  workflows(): Promise<WorkflowInfo[]>;
  start(
    workflow: string,
    input: Json,
    options: { runId?: string; version?: number; wait: boolean },
  ): Promise<StartedRun>;
  get(runId: string): Promise<RunInfo>;
  list(query: RunQuery): Promise<RunPage>;
  events(
    runId: string,
    from: number,
    limit?: number,
  ): Promise<{ events: SequencedEvent[]; head: number }>;
  timeline(runId: string): Promise<RunTimeline>;
  resume(
    runId: string,
    value: Json,
    options: { interruptId?: string; wait: boolean },
  ): Promise<RunInfo>;
  signal(
    runId: string,
    name: string,
    value: Json,
    options: { signalId?: string; wait: boolean },
  ): Promise<RunInfo>;
  cancel(runId: string, reason?: string): Promise<RunInfo>;
  fork(
    runId: string,
    atSeq: number,
    options: { newRunId?: string; alternate?: Event[] },
  ): Promise<RunInfo>;
  exportRun(runId: string): Promise<string>;
  importRun(text: string, options: { runId?: string }, progress: Progress): Promise<ExportedRun>;
  verify(runId: string, progress: Progress): Promise<VerifyReport>;
  /** The state the run's log folds to (its workflow must be known here). */
  replay(
    runId: string,
    progress: Progress,
  ): Promise<{ runId: string; head: number; state: unknown }>;
  /**
   * Drives a run that is due (running, or its timer or backoff has passed) when runs advance in
   * this process (DB mode): nobody else may be driving it.
   */
  nudge?(runId: string): Promise<void>;
  /** Waits for drives this process started, then lets go of the database or connection. */
  close(): Promise<void>;
}

/** True when a run that is not terminal could be advanced now. */
export function isDue(info: RunInfo, now = Date.now()): boolean {
  if (info.status === "running") return true;
  const at = info.blocked?.timerAt ?? info.blocked?.retryAt;
  return info.status === "blocked" && at !== undefined && at <= now;
}

/** A run's whole log, read a page at a time with progress. */
export async function readAll(
  backend: Backend,
  runId: string,
  progress: Progress,
): Promise<SequencedEvent[]> {
  const page = 1000;
  const first = await backend.events(runId, 1, page);
  const all = [...first.events];
  let head = first.head;
  progress.count("reading events", all.length, head);
  while (all.length < head) {
    const more = await backend.events(runId, all.length + 1, page);
    if (more.events.length === 0) break;
    all.push(...more.events);
    head = Math.max(head, more.head);
    progress.count("reading events", all.length, head);
  }
  return all;
}
