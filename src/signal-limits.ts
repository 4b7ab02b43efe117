import { ErrorCode, KernelError } from "./errors.ts";
import type { RunMeta } from "./run-meta.ts";

export { signalBytes } from "./signal-size.ts";

/**
 * How many signals a run may hold that no `waitSignal` has consumed yet, and how large they may be
 * together. Each one's place and size ride in every snapshot of the run, and its value in the log,
 * until it is consumed, so they are bounded.
 */
export interface SignalLimits {
  /** Unconsumed signals per run. Default 1,000. */
  maxPending?: number;
  /** Their names and values together, in UTF-8 bytes of JSON. Default 4 MiB. */
  maxPendingBytes?: number;
}

/** The defaults of `SignalLimits`. */
export const DEFAULT_SIGNAL_LIMITS: Required<SignalLimits> = {
  maxPending: 1_000,
  maxPendingBytes: 4 * 1024 * 1024,
};

/** A signal refused because its run holds too many unconsumed ones; nothing was appended. */
export class TooManySignalsError extends KernelError {
  constructor(message: string) {
    super(ErrorCode.TooManySignals, message, { retryable: true });
    this.name = "TooManySignalsError";
  }
  static override is(value: unknown): value is TooManySignalsError {
    return KernelError.is(value) && value.code === ErrorCode.TooManySignals;
  }
}

/** What the run's unconsumed signals hold now: their count and bytes. */
export function pendingSignals(meta: RunMeta): { count: number; bytes: number } {
  let bytes = 0;
  for (const s of meta.signals) bytes += s.bytes;
  return { count: meta.signals.length, bytes };
}

/**
 * True when the run waits for a signal of this name right now and holds none: such a signal is
 * consumed by the next step, so the limits never keep it out (a full buffer of other names must
 * not starve the run of the signal it waits for).
 */
export function isAwaited(meta: RunMeta, name: string): boolean {
  const action = meta.pending?.action;
  return (
    action?.type === "waitSignal" &&
    action.name === name &&
    !meta.signals.some((s) => s.name === name)
  );
}

/**
 * The error for a signal that would take the run past its limits, given what it holds already
 * (`held`), or `undefined` when it fits.
 */
export function signalRefusal(
  runId: string,
  name: string,
  bytes: number,
  held: { count: number; bytes: number },
  limits: SignalLimits = {},
): TooManySignalsError | undefined {
  const maxPending = limits.maxPending ?? DEFAULT_SIGNAL_LIMITS.maxPending;
  const maxBytes = limits.maxPendingBytes ?? DEFAULT_SIGNAL_LIMITS.maxPendingBytes;
  if (held.count + 1 > maxPending) {
    return new TooManySignalsError(
      `run ${runId} holds ${held.count} signals no step has consumed (the limit is ${maxPending}); signal ${name} was not recorded`,
    );
  }
  if (held.bytes + bytes > maxBytes) {
    return new TooManySignalsError(
      `run ${runId}: signal ${name} (${bytes} bytes) would take its unconsumed signals to ${held.bytes + bytes} bytes (the limit is ${maxBytes}); it was not recorded`,
    );
  }
  return undefined;
}
