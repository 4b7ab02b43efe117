import {
  ConcurrencyError,
  ErrorCode,
  KernelError,
  NondeterminismError,
  NotBlockedError,
  PolicyDeniedError,
  RunNotFoundError,
  ValidationError,
} from "../../src/index.ts";
import { toErrorData } from "../../src/store-kit/index.ts";

/** An error as it crosses the RPC boundary: its class name, kernel `code` and message. */
export interface RpcFailure {
  ok: false;
  name: string;
  code: string;
  message: string;
  /** The fields some error classes carry (`runId`, `expectedHead`, `actualHead`, `seq`). */
  details?: { runId?: string; expectedHead?: number; actualHead?: number; seq?: number };
}

/**
 * What a Durable Object method answers: plain data, never a thrown error (a throw across RPC has
 * been seen to hang the Workers test pool, and it would lose the error's class anyway).
 */
export type RpcResult<T> = { ok: true; value: T } | RpcFailure;

/** Runs `fn` and answers its value or its error as data. */
export async function toRpcResult<T>(fn: () => T | Promise<T>): Promise<RpcResult<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return toRpcFailure(error);
  }
}

/** The plain-data form of anything thrown. */
export function toRpcFailure(error: unknown): RpcFailure {
  const data = toErrorData(error);
  const failure: RpcFailure = {
    ok: false,
    name: data.name,
    code: data.code,
    message: data.message,
  };
  const e = error as Partial<Record<"runId" | "expectedHead" | "actualHead" | "seq", unknown>>;
  const details: NonNullable<RpcFailure["details"]> = {};
  if (typeof e?.runId === "string") details.runId = e.runId;
  if (typeof e?.expectedHead === "number") details.expectedHead = e.expectedHead;
  if (typeof e?.actualHead === "number") details.actualHead = e.actualHead;
  if (typeof e?.seq === "number") details.seq = e.seq;
  if (Object.keys(details).length > 0) failure.details = details;
  return failure;
}

const KERNEL_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/**
 * The error a failure stands for, rebuilt on the caller's side: the same code gives the same
 * class (`ValidationError`, `RunNotFoundError`, …), so the HTTP layer maps it as it would locally.
 */
export function fromRpcFailure(failure: RpcFailure): Error {
  const { code, message, details = {} } = failure;
  switch (code) {
    case ErrorCode.Validation:
      return new ValidationError(message);
    case ErrorCode.RunNotFound:
      return new RunNotFoundError(details.runId ?? runIdIn(message));
    case ErrorCode.NotBlocked:
      return new NotBlockedError(message);
    case ErrorCode.PolicyDenied:
      return new PolicyDeniedError(message);
    case ErrorCode.Nondeterminism:
      return new NondeterminismError(message, details.seq ?? 0);
    case ErrorCode.Concurrency:
      return new ConcurrencyError(
        details.runId ?? runIdIn(message),
        details.expectedHead ?? 0,
        details.actualHead ?? 0,
      );
  }
  if (KERNEL_CODES.has(code)) return new KernelError(code as ErrorCode, message);
  const error = new Error(message);
  error.name = failure.name;
  return error;
}

/**
 * The value of a result.
 * @throws the rebuilt error of a failure (see `fromRpcFailure`).
 */
export function unwrapRpc<T>(result: RpcResult<T>): T {
  if (result.ok) return result.value;
  throw fromRpcFailure(result);
}

function runIdIn(message: string): string {
  return /^run (\S+)/.exec(message)?.[1] ?? "";
}
