import { HTTPException } from "hono/http-exception";
import { KernelError } from "../../src/index.ts";

/** The statuses the API answers errors with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 500 | 501 | 507;

/** The JSON body of every error: `{"error": {"code", "message"}}`. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** An error the API raises itself, with the status and code it answers. */
export class ApiError extends Error {
  readonly status: ErrorStatus;
  readonly code: string;
  constructor(status: ErrorStatus, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

/** The status of each core error code; a code not listed here is a 500. */
const KERNEL_STATUS: Readonly<Record<string, ErrorStatus>> = {
  validation: 400,
  run_not_found: 404,
  not_blocked: 409,
  conflict: 409,
  workflow_unavailable: 409,
  concurrency: 409,
  too_many_signals: 409,
};

const HTTP_CODES: Readonly<Record<number, string>> = {
  400: "validation",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/**
 * The one place that turns anything thrown into a status and an error body. Core errors keep
 * their code and message; anything unexpected is a 500 with a generic message, so no stack,
 * token or internal detail leaves the server.
 */
export function toErrorResponse(error: unknown): { status: ErrorStatus; body: ErrorBody } {
  if (error instanceof ApiError) return answer(error.status, error.code, error.message);
  if (KernelError.is(error)) {
    const status = KERNEL_STATUS[error.code];
    if (status !== undefined) return answer(status, error.code, error.message);
  }
  if (error instanceof HTTPException) {
    const code = HTTP_CODES[error.status];
    if (code !== undefined) {
      return answer(error.status as ErrorStatus, code, error.message || code.replace(/_/g, " "));
    }
  }
  if (isStorageFull(error)) {
    return answer(
      507,
      "storage_full",
      "the server's storage is full; nothing was written and the data stored so far is kept: try again once space is freed",
    );
  }
  return answer(500, "internal", "internal error; the request may not have been carried out");
}

// SQLite's "database or disk is full" (SQLITE_FULL), IndexedDB's QuotaExceededError, and a
// Durable Object's storage limit, as they reach the API wrapped in a store error or not.
const FULL =
  /SQLITE_FULL|database or disk is full|QuotaExceeded|exceeded .*storage|storage .*(limit|quota) exceeded/i;

/** True when `error`, or an error it was caused by, says the store has no space left. */
export function isStorageFull(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if ([code, name, message].some((v) => typeof v === "string" && FULL.test(v))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function answer(
  status: ErrorStatus,
  code: string,
  message: string,
): { status: ErrorStatus; body: ErrorBody } {
  return { status, body: { error: { code, message } } };
}
