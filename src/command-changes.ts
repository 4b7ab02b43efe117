import { KernelError, NotBlockedError, ValidationError } from "./errors.ts";
import type { EventStore } from "./event-store.ts";
import type { Event } from "./events.ts";
import type { Command, SignalCommand } from "./run-mailbox.ts";
import type { RunMeta } from "./run-meta.ts";
import { recordedSignal } from "./signal-dedupe.ts";
import { reusedIdError, type SignalContent } from "./signal-inbox.ts";
import {
  isAwaited,
  pendingSignals,
  type SignalLimits,
  signalBytes,
  signalRefusal,
} from "./signal-limits.ts";

/**
 * What the commands of one batch have changed so far, before their commit: later commands of the
 * batch are judged against it (an interrupt answered, the run ended, signals taken, their bytes).
 */
export class BatchChanges {
  readonly meta: RunMeta;
  interruptAnswered = false;
  ended: boolean;
  readonly held: { count: number; bytes: number };
  awaitedTaken = false;
  readonly signals = new Map<string, SignalContent>();

  constructor(meta: RunMeta) {
    this.meta = meta;
    this.ended = meta.terminal !== undefined;
    this.held = pendingSignals(meta);
  }
}

/** What one command changes: an event to record, nothing (a repeat), or a refusal. */
export type Change = { event: Event } | { repeat: true } | { refused: Error };

/**
 * Judges a resume: it answers the interrupt the run waits on (the one named, when named), once.
 */
export function resumeChange(
  runId: string,
  c: Extract<Command<unknown>, { kind: "resume" }>,
  b: BatchChanges,
): Change {
  const waiting = b.interruptAnswered || b.ended ? undefined : b.meta.interrupt;
  if (!waiting) {
    return {
      refused: new NotBlockedError(
        `run ${runId} is not waiting on an interrupt; nothing was appended`,
      ),
    };
  }
  if (c.interruptId !== undefined && c.interruptId !== waiting.id) {
    return {
      refused: new NotBlockedError(
        `run ${runId} waits on interrupt ${waiting.id}, not ${c.interruptId}; nothing was appended`,
      ),
    };
  }
  b.interruptAnswered = true;
  return { event: { type: "Resumed", interruptId: waiting.id, value: c.value } };
}

/**
 * Judges a signal: recorded once per `signalId` (a repeat of the same signal changes nothing, even
 * after the run ended; the same id for another signal is refused), refused after the run's end
 * and past the run's limits on unconsumed signals (a signal the run waits for always passes).
 */
export async function signalChange(
  events: EventStore,
  runId: string,
  c: SignalCommand<unknown>,
  b: BatchChanges,
  limits: SignalLimits | undefined,
): Promise<Change> {
  if (c.name.length === 0)
    return { refused: new ValidationError(`run ${runId}: a signal needs a name`) };
  if (c.signalId.length === 0)
    return { refused: new ValidationError(`run ${runId}: a signal needs a signalId`) };
  const recorded =
    b.signals.get(c.signalId) ?? (await recordedSignal(events, runId, b.meta, c.signalId));
  if (recorded) {
    const reused = reusedIdError(runId, c.signalId, recorded, c);
    return reused ? { refused: reused } : { repeat: true };
  }
  if (b.ended) {
    const how = b.meta.terminal?.type ?? "ended";
    return {
      refused: new KernelError(
        "conflict",
        `run ${runId} has ${how}; signal ${c.name} was not recorded`,
      ),
    };
  }
  const bytes = signalBytes(c.name, c.value);
  const awaited = !b.awaitedTaken && isAwaited(b.meta, c.name);
  const tooMany = awaited ? undefined : signalRefusal(runId, c.name, bytes, b.held, limits);
  if (tooMany) return { refused: tooMany };
  if (awaited) b.awaitedTaken = true;
  b.held.count += 1;
  b.held.bytes += bytes;
  b.signals.set(c.signalId, { name: c.name, value: c.value });
  return {
    event: { type: "SignalReceived", name: c.name, value: c.value, signalId: c.signalId },
  };
}
