// The shapes the UI reads from the HTTP API, in terms of the core's own types.
import type { Event, RunInfo, RunSummary, WorkflowInfo } from "runlog";

export type { RunInfo, RunSummary, WorkflowInfo };

/** An event as the API sends it: `{seq, ts, type, ...fields}`. */
export type ApiEvent = Event & { seq: number; ts: number };

/** A run's status word. */
export type RunStatusWord = RunInfo["status"];

/** `GET /runs`. */
export interface RunsPage {
  runs: RunSummary[];
  nextCursor?: string;
}

/** `GET /runs/:id/events`. */
export interface EventsPage {
  events: ApiEvent[];
  head: number;
}

/** `GET /runs/:id/verify`. */
export interface VerifyResult {
  ok: boolean;
  hash: string;
  divergedAt?: number;
  message: string;
}

/** Every status, in the order the filters show them. */
export const STATUSES: readonly RunStatusWord[] = [
  "running",
  "blocked",
  "completed",
  "failed",
  "cancelled",
];

/** True when a run with this status can never move again. */
export function isTerminalStatus(status: RunStatusWord): boolean {
  return status === "completed" || status === "failed" || status === "cancelled";
}
