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
 * - payloads round-trip exactly (unicode, large values).
 */
export interface EventStore {
  append(runId: string, events: readonly SequencedEvent[], options: AppendOptions): Promise<void>;
  read(runId: string, fromSeq?: number, limit?: number): Promise<SequencedEvent[]>;
  head(runId: string): Promise<number>;
}

/**
 * A store that keeps events and snapshots and commits both in one transaction: an `append` with a
 * `snapshot` stores both or neither.
 */
export interface RunStore extends EventStore, SnapshotStore {}

/** A store that keeps events, snapshots and the run index: what a host runs on. */
export interface HostStore extends RunStore, RunIndex {}
