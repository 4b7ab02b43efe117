import { KernelError, ValidationError } from "../../src/index.ts";
import { type RunSummaryRow, rowToSummary, summaryToRow } from "../../src/store-kit/index.ts";

/** A row of `runs`, named as the columns are so it binds by name. */
export type RunRow = RunSummaryRow;

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

/** The row for a summary, checked first so a bad one is refused before anything is written. */
export const toRunRow = summaryToRow;

/** The summary a row holds, without keys for the columns that are NULL. */
export const toSummary = rowToSummary;

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
