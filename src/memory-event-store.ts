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
