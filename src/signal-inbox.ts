import { canonicalJson } from "./canonical-json.ts";
import { KernelError } from "./errors.ts";
import type { Event } from "./events.ts";
import type { Json } from "./json.ts";
import type { RunMeta } from "./run-meta.ts";
import type { RunStatus } from "./run-status.ts";
import {
  isAwaited,
  pendingSignals,
  type SignalLimits,
  signalBytes,
  signalRefusal,
} from "./signal-limits.ts";

/** A signal waiting for its run's drive, with its sender's callbacks. */
export interface WaitingSignal {
  name: string;
  value: Json;
  signalId: string;
  resolve: (status: RunStatus) => void;
  reject: (error: unknown) => void;
}

/**
 * Signals that arrived while their run was being driven, per run, until the drive (or the next
 * holder of the run's lock) records them.
 */
export class SignalInbox {
  readonly #waiting = new Map<string, WaitingSignal[]>();

  /** Adds a signal for the run. */
  push(runId: string, signal: WaitingSignal): void {
    const queue = this.#waiting.get(runId) ?? [];
    queue.push(signal);
    this.#waiting.set(runId, queue);
  }

  /** True when signals wait for the run. */
  has(runId: string): boolean {
    return this.#waiting.has(runId);
  }

  /** Removes and returns the run's waiting signals. */
  take(runId: string): WaitingSignal[] {
    const queue = this.#waiting.get(runId) ?? [];
    this.#waiting.delete(runId);
    return queue;
  }

  /** Fails every waiting signal of the run. */
  rejectAll(runId: string, error: unknown): void {
    for (const signal of this.take(runId)) signal.reject(error);
  }
}

/**
 * The events that record waiting signals (each signalId once, none of `recorded`: the ids among
 * them the log already holds, which the caller looks up with `recordedSignal`), and the signals
 * refused, with why: the run has ended, or it would hold too many unconsumed signals.
 */
export function signalEvents(
  runId: string,
  signals: readonly WaitingSignal[],
  meta: RunMeta,
  recorded: ReadonlySet<string>,
  limits?: SignalLimits,
): { events: Event[]; refused: Map<WaitingSignal, KernelError> } {
  const seen = new Set(recorded);
  const events: Event[] = [];
  const refused = new Map<WaitingSignal, KernelError>();
  const held = pendingSignals(meta);
  let awaitedTaken = false;
  for (const s of signals) {
    if (seen.has(s.signalId)) continue;
    if (meta.terminal) {
      refused.set(
        s,
        new KernelError(
          "conflict",
          `run ${runId} has ${meta.terminal.type}; signal ${s.name} was not recorded`,
        ),
      );
      continue;
    }
    const bytes = signalBytes(s.name, s.value);
    const awaited = !awaitedTaken && isAwaited(meta, s.name);
    if (awaited) awaitedTaken = true;
    const tooMany = awaited ? undefined : signalRefusal(runId, s.name, bytes, held, limits);
    if (tooMany) {
      refused.set(s, tooMany);
      continue;
    }
    held.count += 1;
    held.bytes += bytes;
    seen.add(s.signalId);
    events.push({ type: "SignalReceived", name: s.name, value: s.value, signalId: s.signalId });
  }
  return { events, refused };
}

/** Answers the senders once their signals are recorded: a refused one hears why. */
export function answerSignals(
  signals: readonly WaitingSignal[],
  refused: ReadonlyMap<WaitingSignal, KernelError>,
  status: RunStatus,
): void {
  for (const s of signals) {
    const error = refused.get(s);
    if (error) s.reject(error);
    else s.resolve(status);
  }
}

/** A signal as it was (or would be) recorded: the part its id must always name the same. */
export interface SignalContent {
  name: string;
  value: Json;
}

/**
 * The conflict of a signal whose id was used for another signal (another name or value): a
 * repeat must be the same signal, else the second would be dropped while its sender hears "ok".
 */
export function reusedIdError(
  runId: string,
  signalId: string,
  recorded: SignalContent,
  given: SignalContent,
): KernelError | undefined {
  const what =
    recorded.name !== given.name
      ? `signal ${recorded.name}, not ${given.name}`
      : canonicalJson(recorded.value) !== canonicalJson(given.value)
        ? `signal ${recorded.name} with another value`
        : undefined;
  if (what === undefined) return undefined;
  return new KernelError(
    "conflict",
    `run ${runId}: signal id ${signalId} was already used for ${what}; nothing was recorded (a new signal needs a new id)`,
  );
}

/** The signals grouped by id, in the order each id first came. */
export function bySignalId(signals: readonly WaitingSignal[]): WaitingSignal[][] {
  const groups = new Map<string, WaitingSignal[]>();
  for (const s of signals) {
    const group = groups.get(s.signalId);
    if (group) group.push(s);
    else groups.set(s.signalId, [s]);
  }
  return [...groups.values()];
}
