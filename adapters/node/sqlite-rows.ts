import { KernelError, type RunSummary, ValidationError } from "../../src/index.ts";

/** A row of `events` as the store reads it. */
export interface EventRow {
  seq: number;
  ts: number;
  body: string;
}

/** A row of `runs`, named as the columns are so it binds by name. */
export interface RunRow {
  run_id: string;
  workflow: string | null;
  version: number | null;
  status: string;
  waiting_on: string | null;
  wake_at: number | null;
  head: number;
  created_at: number;
  updated_at: number;
}

/**
 * Serializes a value for a TEXT column. JSON escapes U+0000 and lone surrogates, so the text is
 * valid UTF-8 and reads back exactly.
 * @throws ValidationError when the value cannot be JSON (a BigInt, a cycle).
 */
export function toJson(runId: string, what: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ValidationError(
      `run ${runId}: ${what} cannot be stored as JSON: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
  if (typeof text !== "string") {
    throw new ValidationError(`run ${runId}: ${what} cannot be stored as JSON`);
  }
  return text;
}

/**
 * The row for a summary, checked first so a bad one is refused before anything is written.
 * @throws ValidationError when the summary is of another run or lacks a required field.
 */
export function toRunRow(runId: string, summary: RunSummary): RunRow {
  if (summary.runId !== runId) {
    throw new ValidationError(`run ${runId}: the summary is of run ${String(summary.runId)}`);
  }
  const numbers = {
    head: summary.head,
    createdAt: summary.createdAt,
    updatedAt: summary.updatedAt,
  };
  for (const [name, value] of Object.entries(numbers)) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
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

/** The summary a row holds, without keys for the columns that are NULL. */
export function toSummary(row: RunRow): RunSummary {
  const summary: RunSummary = {
    runId: row.run_id,
    status: row.status as RunSummary["status"],
    head: row.head,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.workflow !== null) summary.workflow = row.workflow;
  if (row.version !== null) summary.version = row.version;
  if (row.waiting_on !== null)
    summary.waitingOn = row.waiting_on as NonNullable<RunSummary["waitingOn"]>;
  if (row.wake_at !== null) summary.wakeAt = row.wake_at;
  return summary;
}

/**
 * A SQLite failure as a kernel error with code `store`, naming the run and what failed. A busy or
 * locked database is retryable: another connection held the write lock past the busy timeout.
 */
export function storeError(runId: string | undefined, what: string, error: unknown): KernelError {
  const code = (error as { code?: unknown } | null)?.code;
  const sqliteCode = typeof code === "string" && code.startsWith("SQLITE_") ? code : undefined;
  const retryable =
    sqliteCode?.startsWith("SQLITE_BUSY") || sqliteCode?.startsWith("SQLITE_LOCKED");
  const where = runId === undefined ? "" : `run ${runId}: `;
  const suffix = sqliteCode === undefined ? "" : ` (${sqliteCode})`;
  return new KernelError("store", `${where}SQLite ${what} failed: ${messageOf(error)}${suffix}`, {
    retryable: retryable === true,
    cause: error,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
