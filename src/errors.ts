/** Error codes the kernel raises; the HTTP layer maps each to one status. */
export const ErrorCode = {
  Concurrency: "concurrency",
  NotBlocked: "not_blocked",
  PolicyDenied: "policy_denied",
  Nondeterminism: "nondeterminism",
  RunNotFound: "run_not_found",
  Validation: "validation",
  Determinism: "determinism",
  Reducer: "reducer",
  Store: "store",
  Driver: "driver",
  Conflict: "conflict",
  Action: "action",
  WorkflowUnavailable: "workflow_unavailable",
  TooManySignals: "too_many_signals",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const BRAND: unique symbol = Symbol.for("runlog.KernelError");

/** Options every kernel error takes. */
export interface KernelErrorOptions {
  retryable?: boolean;
  cause?: unknown;
}

/** The base of every error the kernel throws: a string `code`, `retryable`, and `cause`. */
export class KernelError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, options: KernelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KernelError";
    this.code = code;
    this.retryable = options.retryable ?? false;
  }

  /** True for a kernel error from any realm, or an error-shaped object carrying a kernel `code`. */
  static is(value: unknown): value is KernelError {
    if (typeof value !== "object" || value === null) return false;
    if ((value as Record<symbol, unknown>)[BRAND] === true) return true;
    const code = (value as { code?: unknown }).code;
    return typeof code === "string" && CODES.has(code) && value instanceof Error;
  }
}

const CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

function hasCode(value: unknown, code: ErrorCode): boolean {
  return KernelError.is(value) && value.code === code;
}

/** The log moved since the writer read its head; nothing was written. */
export class ConcurrencyError extends KernelError {
  readonly runId: string;
  readonly expectedHead: number;
  readonly actualHead: number;
  constructor(runId: string, expectedHead: number, actualHead: number) {
    super(
      ErrorCode.Concurrency,
      `run ${runId}: expected head ${expectedHead} but the log is at ${actualHead}; nothing was written`,
      { retryable: true },
    );
    this.name = "ConcurrencyError";
    this.runId = runId;
    this.expectedHead = expectedHead;
    this.actualHead = actualHead;
  }
  static override is(value: unknown): value is ConcurrencyError {
    return hasCode(value, ErrorCode.Concurrency);
  }
}

/** A resume arrived while the run was not waiting on that interrupt; nothing was appended. */
export class NotBlockedError extends KernelError {
  constructor(message: string) {
    super(ErrorCode.NotBlocked, message);
    this.name = "NotBlockedError";
  }
  static override is(value: unknown): value is NotBlockedError {
    return hasCode(value, ErrorCode.NotBlocked);
  }
}

/** The policy refused an action. */
export class PolicyDeniedError extends KernelError {
  constructor(message: string) {
    super(ErrorCode.PolicyDenied, message);
    this.name = "PolicyDeniedError";
  }
  static override is(value: unknown): value is PolicyDeniedError {
    return hasCode(value, ErrorCode.PolicyDenied);
  }
}

/** Replaying a step function over a recorded log decided differently at `seq`. */
export class NondeterminismError extends KernelError {
  readonly seq: number;
  constructor(message: string, seq: number) {
    super(ErrorCode.Nondeterminism, message);
    this.name = "NondeterminismError";
    this.seq = seq;
  }
  static override is(value: unknown): value is NondeterminismError {
    return hasCode(value, ErrorCode.Nondeterminism);
  }
}

/** No run with that id exists in the store. */
export class RunNotFoundError extends KernelError {
  readonly runId: string;
  constructor(runId: string) {
    super(ErrorCode.RunNotFound, `run ${runId} does not exist`);
    this.name = "RunNotFoundError";
    this.runId = runId;
  }
  static override is(value: unknown): value is RunNotFoundError {
    return hasCode(value, ErrorCode.RunNotFound);
  }
}

/** Input was rejected; the message names what is wrong. Nothing was changed. */
export class ValidationError extends KernelError {
  constructor(message: string, options: KernelErrorOptions = {}) {
    super(ErrorCode.Validation, message, options);
    this.name = "ValidationError";
  }
  static override is(value: unknown): value is ValidationError {
    return hasCode(value, ErrorCode.Validation);
  }
}

/** The plain-data form of an error, as it enters the log or crosses a boundary. */
export interface ErrorData {
  name: string;
  code: string;
  message: string;
  [key: string]: unknown;
}

/** Turns anything thrown into plain data `{name, code, message}`. */
export function toErrorData(error: unknown): ErrorData {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      code: typeof code === "string" ? code : "error",
      message: error.message,
    };
  }
  return { name: "Error", code: "error", message: String(error) };
}
