import { ConcurrencyError } from "./errors.ts";
import type { AppendOptions, EventStore } from "./event-store.ts";
import type { SequencedEvent } from "./events.ts";
import { assertAppendable } from "./validate-append.ts";

/**
 * An `EventStore` in memory: for tests, demos and the browser's fallback. Events are stored as
 * given (callers must not mutate them after appending) and reads return shallow copies of the
 * list.
 */
export class MemoryEventStore implements EventStore {
  readonly #logs = new Map<string, SequencedEvent[]>();
  /** Per run: each signal id and the seq of the first event that recorded it. */
  readonly #signals = new Map<string, Map<string, number>>();

  async append(
    runId: string,
    events: readonly SequencedEvent[],
    options: AppendOptions,
  ): Promise<void> {
    this.appendSync(runId, events, options);
  }

  /** The synchronous form of `append`, for callers that hold no promise budget. */
  appendSync(runId: string, events: readonly SequencedEvent[], options: AppendOptions): void {
    assertAppendable(runId, events, options.expectedHead);
    const log = this.#logs.get(runId);
    const head = log?.length ?? 0;
    if (options.expectedHead !== head)
      throw new ConcurrencyError(runId, options.expectedHead, head);
    if (events.length === 0) return;
    if (log) for (const se of events) log.push(se);
    else this.#logs.set(runId, events.slice());
    for (const se of events) {
      if (se.event.type !== "SignalReceived") continue;
      let ids = this.#signals.get(runId);
      if (!ids) {
        ids = new Map();
        this.#signals.set(runId, ids);
      }
      if (!ids.has(se.event.signalId)) ids.set(se.event.signalId, se.seq);
    }
  }

  /** The seq of the first event of the run that recorded `signalId`, from an index in memory. */
  async signalSeq(runId: string, signalId: string): Promise<number | undefined> {
    return this.#signals.get(runId)?.get(signalId);
  }

  async read(
    runId: string,
    fromSeq = 1,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<SequencedEvent[]> {
    const log = this.#logs.get(runId);
    if (!log) return [];
    const start = Math.max(0, fromSeq - 1);
    const end = Number.isFinite(limit) ? start + Math.max(0, limit) : log.length;
    return log.slice(start, end);
  }

  async head(runId: string): Promise<number> {
    return this.#logs.get(runId)?.length ?? 0;
  }

  /** The ids of every run with at least one event, in the order they were first written. */
  async runIds(): Promise<string[]> {
    return [...this.#logs.keys()];
  }
}
