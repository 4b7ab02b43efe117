import type { SequencedEvent } from "runlog";
import type { AppendOptions, EventStore } from "runlog/store-kit";
import { SimulatedCrash } from "runlog/testing";

export { SimulatedCrash } from "runlog/testing";

/**
 * Wraps a store, counts its calls, and can "crash" before or after the commit whose batch matches
 * a predicate (once). After a crash-after, the batch is durable but the caller never hears of it.
 */
export class FaultStore implements EventStore {
  appends = 0;
  reads = 0;
  heads = 0;
  readonly batches: SequencedEvent[][] = [];
  crash?: { when: "before" | "after"; match: (batch: readonly SequencedEvent[]) => boolean };
  readonly #inner: EventStore;

  constructor(inner: EventStore) {
    this.#inner = inner;
  }

  async append(
    runId: string,
    events: readonly SequencedEvent[],
    options: AppendOptions,
  ): Promise<void> {
    this.appends += 1;
    const crash = this.crash;
    if (crash?.when === "before" && crash.match(events)) {
      delete this.crash;
      throw new SimulatedCrash("before commit");
    }
    await this.#inner.append(runId, events, options);
    this.batches.push([...events]);
    if (crash?.when === "after" && crash.match(events)) {
      delete this.crash;
      throw new SimulatedCrash("after commit");
    }
  }

  read(runId: string, fromSeq?: number, limit?: number): Promise<SequencedEvent[]> {
    this.reads += 1;
    return this.#inner.read(runId, fromSeq, limit);
  }

  head(runId: string): Promise<number> {
    this.heads += 1;
    return this.#inner.head(runId);
  }
}

/** True when the batch holds an event of `type`. */
export const holds =
  (type: string) =>
  (batch: readonly SequencedEvent[]): boolean =>
    batch.some((se) => se.event.type === type);
