import { canonicalJson } from "./canonical-json.ts";
import { KernelError } from "./errors.ts";
import type { EventStore } from "./event-store.ts";
import type { Json } from "./json.ts";
import type { RunMeta } from "./run-meta.ts";

/** A signal as it was (or would be) recorded: the part its id must always name the same. */
export interface SignalContent {
  name: string;
  value: Json;
}

const PAGE = 500;

/**
 * The name and value recorded under `signalId` in the run's log: from the signals the run holds
 * unconsumed when it is there, else by reading the log (only a repeat of an old id gets here).
 */
export async function recordedSignal(
  events: EventStore,
  runId: string,
  meta: RunMeta,
  signalId: string,
): Promise<SignalContent | undefined> {
  const buffered = meta.signals.find((s) => s.signalId === signalId);
  if (buffered) return buffered;
  if (!meta.signalIds.includes(signalId)) return undefined;
  for (let from = 1; from <= meta.head; from += PAGE) {
    const page = await events.read(runId, from, PAGE);
    for (const se of page) {
      if (se.event.type === "SignalReceived" && se.event.signalId === signalId) return se.event;
    }
    if (page.length < PAGE) break;
  }
  return undefined;
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
