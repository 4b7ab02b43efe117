import { KernelError } from "./errors.ts";
import type { EventStore } from "./event-store.ts";
import type { Json } from "./json.ts";
import type { BufferedSignal, RunMeta } from "./run-meta.ts";

/** A signal as it was recorded: the part its id must always name the same, and where it is. */
export interface RecordedSignal {
  seq: number;
  name: string;
  value: Json;
}

const PAGE = 500;

/**
 * The seq of the first `SignalReceived` of the run with `signalId`, or `undefined`: the store's
 * `signalSeq` index when it has one, else a scan of the whole log, a page at a time (the fallback
 * for stores without the index; its cost grows with the log).
 */
export async function findSignalSeq(
  store: EventStore,
  runId: string,
  signalId: string,
): Promise<number | undefined> {
  if (store.signalSeq) return store.signalSeq(runId, signalId);
  for (let from = 1; ; from += PAGE) {
    const page = await store.read(runId, from, PAGE);
    for (const se of page) {
      if (se.event.type === "SignalReceived" && se.event.signalId === signalId) return se.seq;
    }
    if (page.length < PAGE) return undefined;
  }
}

/**
 * The signal recorded under `signalId` in the run's log, or `undefined` when the id is new: one
 * look-up in the store's index (or the run's unconsumed signals) and one read of that event. The
 * one place the kernel asks whether a signal id was seen before.
 */
export async function recordedSignal(
  store: EventStore,
  runId: string,
  meta: RunMeta,
  signalId: string,
): Promise<RecordedSignal | undefined> {
  const seq =
    meta.signals.find((s) => s.signalId === signalId)?.seq ??
    (await findSignalSeq(store, runId, signalId));
  if (seq === undefined || seq > meta.head) return undefined;
  const [se] = await store.read(runId, seq, 1);
  if (se?.event.type !== "SignalReceived" || se.event.signalId !== signalId) {
    throw new KernelError(
      "store",
      `run ${runId}: the store places signal ${signalId} at seq ${seq}, which does not record it`,
    );
  }
  return { seq, name: se.event.name, value: se.event.value };
}

/**
 * The value of an unconsumed signal, read from its event in the log (a run's meta keeps only
 * where each one is, so snapshots do not carry the values).
 * @throws KernelError `store` when the event at its seq is not that signal.
 */
export async function signalValue(
  store: EventStore,
  runId: string,
  signal: BufferedSignal,
): Promise<Json> {
  const [se] = await store.read(runId, signal.seq, 1);
  if (se?.event.type !== "SignalReceived" || se.event.signalId !== signal.signalId) {
    throw new KernelError(
      "store",
      `run ${runId}: seq ${signal.seq} does not hold signal ${signal.signalId} (${signal.name})`,
    );
  }
  return se.event.value;
}
