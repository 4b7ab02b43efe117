import { type AbortControllerLike, type AbortSignalLike, newAbortController } from "./abort.ts";
import type { ActionErrorData } from "./actions.ts";

declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(timer: unknown): void;

/** Why an action call stopped before its executor answered. */
export type Stopped = { type: "cancelled" } | { type: "timeout"; error: ActionErrorData };

/** One action call's signal, and what stopped it (if anything did). */
export interface OpenCall {
  readonly signal: AbortSignalLike;
  /** Settles when the call is aborted (cancel, timeout, or `halt`); never otherwise. */
  readonly stopped: Promise<Stopped>;
  /** Aborts this call alone (a sibling in its batch ended the run). */
  halt(): void;
  /** Ends the call: its timer and its registration go. */
  close(): void;
}

/**
 * The action calls in flight per run, so that a cancel can abort them at once. The kernel owns
 * one; whether a cancel is asked for, and why, its run's mailbox knows (`requested`).
 */
export class RunAborts {
  readonly #open = new Map<string, Set<AbortControllerLike>>();
  /** The reason of a cancel asked for the run and not yet recorded. */
  readonly requested: (runId: string) => string | undefined;

  constructor(requested: (runId: string) => string | undefined) {
    this.requested = requested;
  }

  /** Aborts the run's calls in flight now: a cancel was asked for. */
  abortAll(runId: string): void {
    for (const c of this.#open.get(runId) ?? []) c.abort(CANCELLED);
  }

  /** Opens a call: aborted at once if a cancel is already requested, after `timeoutMs` if set. */
  open(runId: string, actionId: string, timeoutMs: number | undefined): OpenCall {
    const controller = newAbortController();
    const calls = this.#open.get(runId) ?? new Set<AbortControllerLike>();
    this.#open.set(runId, calls);
    calls.add(controller);
    let stop: (why: Stopped) => void = () => undefined;
    const stopped = new Promise<Stopped>((resolve) => {
      stop = resolve;
    });
    let timer: unknown;
    const onAbort = () => {
      const reason = controller.signal.reason;
      if (reason === TIMED_OUT) {
        const message = `${actionId} took longer than its timeout of ${timeoutMs} ms`;
        stop({ type: "timeout", error: { kind: "transient", message, code: "timeout" } });
      } else stop({ type: "cancelled" });
    };
    controller.signal.addEventListener("abort", onAbort, { once: true });
    if (this.requested(runId) !== undefined) controller.abort(CANCELLED);
    else if (timeoutMs !== undefined && timeoutMs >= 0)
      timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
    return {
      signal: controller.signal,
      stopped,
      halt: () => controller.abort(HALTED),
      close: () => {
        if (timer !== undefined) clearTimeout(timer);
        controller.signal.removeEventListener("abort", onAbort);
        calls.delete(controller);
        if (calls.size === 0 && this.#open.get(runId) === calls) this.#open.delete(runId);
      },
    };
  }
}

/** Abort reasons: what a handler sees as `signal.reason`. */
const CANCELLED = reasonError("the run was cancelled");
const TIMED_OUT = reasonError("the action timed out");
const HALTED = reasonError("the run ended while the action was in flight");

function reasonError(message: string): Error {
  const e = new Error(message);
  e.name = "AbortError";
  return e;
}
