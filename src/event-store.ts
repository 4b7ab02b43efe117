import type { SequencedEvent } from "./events.ts";
import type { RunIndex, RunSummary } from "./run-index.ts";
import type { Snapshot, SnapshotStore } from "./snapshot-store.ts";

/** How a commit should be made. */
export interface AppendOptions {
  /**
   * The head the writer last saw. When the log is no longer there the append fails with
   * `ConcurrencyError` and writes nothing.
   */
  expectedHead: number;
  /** A snapshot to store in the same transaction (stores that keep snapshots). */
  snapshot?: Snapshot;
  /** The run's summary after this commit; stores that keep a run index write it in the same transaction. */
  summary?: RunSummary;
  /** `strict` asks the store to make the commit durable before resolving (the run blocks or ends). */
  durability?: "relaxed" | "strict";
}

/**
 * The append-only log of every run. An implementation must guarantee:
 * - `append` is atomic: all of a batch is stored or none of it;
 * - `append` fails with `ConcurrencyError` and stores nothing when `expectedHead` is not the head;
 * - `append` rejects with `ValidationError` a batch whose seqs are not `expectedHead + 1, + 2, …`;
 * - `read` returns events in ascending `seq` from `fromSeq`, at most `limit` of them;
 * - reads see every append that has resolved (read-your-writes);
 * - the head of an unknown run is 0 and reading it gives no events;
 * - payloads round-trip exactly (unicode, large values);
 * - `signalSeq`, when the store has it, answers from an index kept in the same transaction as the
 *   append: the seq of the first `SignalReceived` of the run with that `signalId` (a later one with
 *   the same id does not replace it), never an id of a batch the store refused, and each run's ids
 *   apart from every other run's (a fork or an import is indexed under its new run id).
 */
export interface EventStore {
  append(runId: string, events: readonly SequencedEvent[], options: AppendOptions): Promise<void>;
  read(runId: string, fromSeq?: number, limit?: number): Promise<SequencedEvent[]>;
  head(runId: string): Promise<number>;
  /**
   * The seq of the first event of the run that recorded `signalId` (a `SignalReceived`), or
   * `undefined` when none did: how the kernel deduplicates signals without keeping every id it
   * ever saw. Optional: without it `findSignalSeq` reads the whole log instead, so a store of
   * long-lived runs should keep an index (O(log n) or better).
   */
  signalSeq?(runId: string, signalId: string): Promise<number | undefined>;
}

/**
 * A store that keeps events and snapshots and commits both in one transaction: an `append` with a
 * `snapshot` stores both or neither.
 */
export interface RunStore extends EventStore, SnapshotStore {}

/** A store that keeps events, snapshots and the run index: what a host runs on. */
export interface HostStore extends RunStore, RunIndex {}
