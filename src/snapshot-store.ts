import type { RunMeta } from "./run-meta.ts";

/**
 * A cached projection of a run at `atSeq`: restore loads the latest and applies the events after
 * it. `meta` is the kernel's own bookkeeping at that seq; without it the kernel rebuilds it from
 * the log (cheaply: the user's reducer is not called for it).
 */
export interface Snapshot<S = unknown> {
  runId: string;
  atSeq: number;
  state: S;
  stateVersion: number;
  meta?: RunMeta;
}

/**
 * Where snapshots live. An implementation must guarantee: `loadLatest` returns the snapshot with
 * the highest `atSeq` saved for the run (the later save wins on a tie), or `undefined`.
 */
export interface SnapshotStore<S = unknown> {
  loadLatest(runId: string): Promise<Snapshot<S> | undefined>;
  save(snapshot: Snapshot<S>): Promise<void>;
}
