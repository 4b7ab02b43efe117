import { ValidationError } from "./errors.ts";
import type { RunSummary } from "./run-index.ts";

/** A run summary as a SQL row, columns named as SQL stores name them (NULL for absent fields). */
export type RunSummaryRow = {
  run_id: string;
  workflow: string | null;
  version: number | null;
  status: string;
  waiting_on: string | null;
  wake_at: number | null;
  head: number;
  created_at: number;
  updated_at: number;
};

/** The columns of `RunSummaryRow`, in the order `rowValues` gives them. */
export const RUN_SUMMARY_COLUMNS =
  "run_id, workflow, version, status, waiting_on, wake_at, head, created_at, updated_at";

/**
 * The row of a summary, checked so that a bad one is refused before anything is written.
 * @throws ValidationError when the summary is of another run or lacks a required field.
 */
export function summaryToRow(runId: string, summary: RunSummary): RunSummaryRow {
  if (summary.runId !== runId) {
    throw new ValidationError(`run ${runId}: the summary is of run ${String(summary.runId)}`);
  }
  for (const name of ["head", "createdAt", "updatedAt"] as const) {
    if (typeof summary[name] !== "number" || !Number.isFinite(summary[name])) {
      throw new ValidationError(`run ${runId}: the summary's ${name} is not a number`);
    }
  }
  if (typeof summary.status !== "string") {
    throw new ValidationError(`run ${runId}: the summary has no status`);
  }
  return {
    run_id: runId,
    workflow: summary.workflow ?? null,
    version: summary.version ?? null,
    status: summary.status,
    waiting_on: summary.waitingOn ?? null,
    wake_at: summary.wakeAt ?? null,
    head: summary.head,
    created_at: summary.createdAt,
    updated_at: summary.updatedAt,
  };
}

/** The row's values in `RUN_SUMMARY_COLUMNS` order, for positional parameters. */
export function rowValues(row: RunSummaryRow): (string | number | null)[] {
  return [
    row.run_id,
    row.workflow,
    row.version,
    row.status,
    row.waiting_on,
    row.wake_at,
    row.head,
    row.created_at,
    row.updated_at,
  ];
}

/** The summary a row holds, without keys for the columns that are NULL. */
export function rowToSummary(row: RunSummaryRow): RunSummary {
  const summary: RunSummary = {
    runId: row.run_id,
    status: row.status as RunSummary["status"],
    head: row.head,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.workflow !== null) summary.workflow = row.workflow;
  if (row.version !== null) summary.version = row.version;
  if (row.waiting_on !== null) {
    summary.waitingOn = row.waiting_on as NonNullable<RunSummary["waitingOn"]>;
  }
  if (row.wake_at !== null) summary.wakeAt = row.wake_at;
  return summary;
}

/** A list query's page size: 50 by default, between 1 and 1000. */
export function listLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return 50;
  return Math.max(1, Math.min(Math.floor(limit), 1000));
}
