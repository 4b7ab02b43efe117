import { KernelError, ValidationError } from "./errors.ts";
import type { EventStore } from "./event-store.ts";
import type { Event, SequencedEvent } from "./events.ts";
import { sequence } from "./events.ts";
import { assertPlausibleTimes } from "./log-times.ts";
import { assertConsistentLog, parseEvent } from "./parse-event.ts";
import type { Clock } from "./ports.ts";
import { summarize } from "./run-index.ts";
import { metaOf } from "./run-meta.ts";

/** What a fork is made from. */
export interface ForkOptions {
  /** Events recorded in the new run after the copy, before it continues: "what if I had answered no". */
  alternate?: Event[];
  clock: Clock;
}

const ALTERNATES: ReadonlySet<Event["type"]> = new Set([
  "StateUpdated",
  "Resumed",
  "SignalReceived",
]);

/**
 * Copies the events of `fromRunId` up to `atSeq` (with their times) into the new run `toRunId`,
 * then `Forked {fromRunId, atSeq}` and the alternate events, in one atomic append. The new run
 * then continues live like any other.
 * The copy is held to the rule imports use (`assertConsistentLog`, `assertPlausibleTimes`), so a
 * fork never makes a log an import would refuse.
 * @throws ValidationError for a seq outside the log or at or after its end, an alternate event a
 * fork cannot carry, or a copy that tells an impossible story (a `Resumed` with no interrupt);
 * KernelError `conflict` when `toRunId` already has events.
 */
export async function forkRun(
  store: EventStore,
  fromRunId: string,
  atSeq: number,
  toRunId: string,
  options: ForkOptions,
): Promise<SequencedEvent[]> {
  if (fromRunId === toRunId)
    throw new ValidationError(`a fork needs a new run id, not ${fromRunId} again`);
  const head = await store.head(fromRunId);
  if (!Number.isSafeInteger(atSeq) || atSeq < 1 || atSeq > head) {
    throw new ValidationError(
      `run ${fromRunId}: cannot fork at seq ${String(atSeq)}; its log holds seqs 1 to ${head}`,
    );
  }
  const alternate = options.alternate ?? [];
  alternate.forEach((e, i) => {
    parseEvent(e, `alternate event ${i + 1}`);
    if (!ALTERNATES.has(e.type)) {
      throw new ValidationError(
        `a fork's alternate event must be StateUpdated, Resumed or SignalReceived, not ${e.type}`,
      );
    }
  });
  if ((await store.head(toRunId)) !== 0) {
    throw new KernelError("conflict", `run ${toRunId} already exists; a fork needs a new run id`);
  }
  const copied = await store.read(fromRunId, 1, atSeq);
  const ended = metaOf(copied).terminal;
  if (ended) {
    throw new ValidationError(
      `run ${fromRunId} ${ended.type} at seq ${atSeq}: nothing can follow the end of a run; fork at an earlier seq`,
    );
  }
  const lastTs = copied[copied.length - 1]?.ts ?? 0;
  const tail = sequence(
    [{ type: "Forked", fromRunId, atSeq }, ...alternate],
    atSeq,
    Math.max(lastTs, options.clock.now()),
  );
  const batch = [...copied.map((se) => ({ seq: se.seq, ts: se.ts, event: se.event })), ...tail];
  // The rule imports hold a log to: what a fork writes can be exported and imported again.
  const now = options.clock.now();
  assertConsistentLog(batch);
  assertPlausibleTimes(batch, now);
  const summary = summarize(toRunId, metaOf(batch), now);
  await store.append(toRunId, batch, { expectedHead: 0, durability: "strict", summary });
  return batch;
}
