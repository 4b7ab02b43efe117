import { ErrorCode, KernelError } from "../../src/index.ts";

const nameOf = (error: unknown): string =>
  typeof error === "object" &&
  error !== null &&
  typeof (error as { name?: unknown }).name === "string"
    ? (error as { name: string }).name
    : "Error";

const messageOf = (error: unknown): string =>
  error instanceof Error || (typeof error === "object" && error !== null && "message" in error)
    ? String((error as { message: unknown }).message)
    : String(error);

/** True when IndexedDB refused a write for lack of space. */
export function isQuotaError(error: unknown): boolean {
  return nameOf(error) === "QuotaExceededError";
}

/**
 * The kernel error for a failed IndexedDB commit of `what` (for example "seq 4..6"): kernel errors
 * pass through; anything else (a quota abort, a closed connection, a value that cannot be cloned)
 * becomes a `store` error that says nothing was written, which IndexedDB's atomic transactions
 * guarantee once the transaction is aborted.
 */
export function commitError(runId: string, what: string, error: unknown): unknown {
  if (KernelError.is(error)) return error;
  if (isQuotaError(error)) {
    return new KernelError(
      ErrorCode.Store,
      `run ${runId}: storage quota is exhausted; the commit of ${what} was aborted and nothing was written`,
      { cause: error },
    );
  }
  return new KernelError(
    ErrorCode.Store,
    `run ${runId}: IndexedDB could not commit ${what} (${nameOf(error)}: ${messageOf(error)}); nothing was written`,
    { cause: error, retryable: nameOf(error) !== "DataCloneError" },
  );
}
