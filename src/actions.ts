import type { AbortSignalLike } from "./abort.ts";
import { ErrorCode, KernelError } from "./errors.ts";
import type { Json } from "./json.ts";

/**
 * The only ways out to the world. `onFailure: "continue"` records a failure and lets the step see
 * it (an agent hands a tool error back to its model); the default fails the run, as the seed does.
 * `timeoutMs` aborts an attempt that runs longer (its signal fires; a transient failure with code
 * `timeout`, which the retry policy may retry).
 */
export type Action =
  | { type: "callTool"; tool: string; input: Json; onFailure?: OnFailure; timeoutMs?: number }
  | { type: "callLLM"; provider: string; input: Json; onFailure?: OnFailure; timeoutMs?: number }
  | { type: "sleep"; ms: number }
  | { type: "waitSignal"; name: string };

/** What a recorded action failure does to the run. */
export type OnFailure = "failRun" | "continue";

/** The kinds of action failure; the retry policy branches on them. */
export const ActionErrorKind = {
  Transient: "transient",
  RateLimited: "rateLimited",
  Permanent: "permanent",
  Denied: "denied",
  Budget: "budget",
  /** The run was cancelled while the action was in flight; recorded, never retried. */
  Cancelled: "cancelled",
} as const;
export type ActionErrorKind = (typeof ActionErrorKind)[keyof typeof ActionErrorKind];

/** An action failure as data, the way it enters the log. */
export interface ActionErrorData {
  kind: ActionErrorKind;
  message: string;
  retryAfterMs?: number;
  name?: string;
  code?: string;
}

/** What an executor returns: an output, or a failure that is final (never retried). */
export type ActionResult =
  | { type: "success"; output: Json }
  | { type: "failure"; error: string | ActionErrorData };

/** What an executor learns about the call beyond the action itself. */
export interface ExecuteContext {
  /** Stable across re-executions after a crash: use it as the idempotency key. */
  actionId: string;
  /** 0 for the first attempt, then 1, 2, … */
  attempt: number;
  /**
   * Aborted when the run is cancelled or the action's `timeoutMs` passes: stop the work and
   * throw. The kernel stops waiting at that moment either way. Absent when a caller outside the
   * kernel gives none.
   */
  signal?: AbortSignalLike;
}

/**
 * Runs actions against the world. It may throw (an `ActionError`, or anything else, which counts
 * as transient) and the policy decides on a retry; a returned `failure` is final.
 */
export interface ActionExecutor {
  execute(runId: string, action: Action, ctx: ExecuteContext): Promise<ActionResult> | ActionResult;
}

/** A classified action failure, thrown by executors and tools. */
export class ActionError extends KernelError {
  readonly kind: ActionErrorKind;
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: ActionErrorKind,
    message: string,
    options: { retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(ErrorCode.Action, message, {
      retryable: kind === "transient" || kind === "rateLimited",
      cause: options.cause,
    });
    this.name = "ActionError";
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
  }

  static transient(message: string): ActionError {
    return new ActionError("transient", message);
  }
  static rateLimited(message: string, retryAfterMs?: number): ActionError {
    return new ActionError(
      "rateLimited",
      message,
      retryAfterMs === undefined ? {} : { retryAfterMs },
    );
  }
  static permanent(message: string): ActionError {
    return new ActionError("permanent", message);
  }

  static override is(value: unknown): value is ActionError {
    return KernelError.is(value) && value.code === ErrorCode.Action;
  }
}

const KINDS: ReadonlySet<string> = new Set(Object.values(ActionErrorKind));

/** Classifies anything an executor threw; errors that are not `ActionError`s count as transient. */
export function toActionErrorData(error: unknown): ActionErrorData {
  if (typeof error === "object" && error !== null) {
    const e = error as {
      kind?: unknown;
      message?: unknown;
      retryAfterMs?: unknown;
      name?: unknown;
      code?: unknown;
    };
    const kind =
      typeof e.kind === "string" && KINDS.has(e.kind) ? (e.kind as ActionErrorKind) : "transient";
    const data: ActionErrorData = {
      kind,
      message: typeof e.message === "string" ? e.message : String(error),
    };
    if (typeof e.retryAfterMs === "number" && Number.isFinite(e.retryAfterMs))
      data.retryAfterMs = e.retryAfterMs;
    if (typeof e.name === "string") data.name = e.name;
    if (typeof e.code === "string") data.code = e.code;
    return data;
  }
  return { kind: "transient", message: String(error) };
}

/** Normalizes a returned failure (a bare string in the seed) to data; it is permanent. */
export function failureData(error: string | ActionErrorData): ActionErrorData {
  return typeof error === "string" ? { kind: "permanent", message: error } : error;
}
