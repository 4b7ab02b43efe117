import type { ActionExecutor } from "./actions.ts";
import type { EffectSink } from "./effects.ts";
import type { EventStore } from "./event-store.ts";
import type { HashStore } from "./hash-store.ts";
import type { DriveOutcome } from "./kernel.ts";
import type { KernelMode } from "./kernel-mode.ts";
import type { Policy } from "./policy.ts";
import type { Clock, Random, RunLock, Scheduler } from "./ports.ts";
import type { Reducer } from "./reducer.ts";
import type { Migrations } from "./restore.ts";
import type { SignalLimits } from "./signal-limits.ts";
import type { SnapshotStore } from "./snapshot-store.ts";
import type { StepFn } from "./step.ts";

/** Everything a kernel is made of. Only `events`, `reducer`, `executor` and `step` are required. */
export interface KernelOptions<S> {
  events: EventStore;
  /** Snapshots; pass the events store itself when it keeps both, so they commit together. */
  snapshots?: SnapshotStore<S> | SnapshotStore;
  reducer: Reducer<S>;
  executor: ActionExecutor;
  step: StepFn<S>;
  /** Default: `AllowAllPolicy` (everything allowed, nothing retried). */
  policy?: Policy;
  effectSink?: EffectSink;
  /** Default `normal`. */
  mode?: KernelMode;
  clock?: Clock;
  random?: Random;
  scheduler?: Scheduler;
  /** Take a snapshot after this many events (and whenever the run blocks or ends). Default 64. */
  snapshotEvery?: number;
  /**
   * For states that grow with the log (a straight-line workflow's results): the interval also
   * grows to this fraction of the last snapshot's seq, so writing snapshots costs O(N) over a run
   * instead of O(N²), and a restore replays at most that fraction of the log. Default 0 (off).
   */
  snapshotGrowth?: number;
  /**
   * A byte budget: a commit also carries a snapshot once the events since the last snapshot hold
   * this many characters of JSON, however few they are, so a restore never folds much more than
   * that. Counted only when set. Default: off (the event count decides alone).
   */
  snapshotBytes?: number;
  /** The version of the state shape, stored on snapshots. Default 1. */
  stateVersion?: number;
  /** Upgrades for snapshots of older state versions, keyed by the version they upgrade from. */
  migrations?: Migrations<S>;
  /** Retry backoffs up to this many ms are waited inside the loop; longer ones block the run. Default 1000. */
  inlineRetryMaxMs?: number;
  /** Where record mode stores the event-stream hash and verify mode checks it. */
  hashes?: HashStore;
  /** How many runs the kernel keeps restored in memory between calls. Default 1000. */
  maxCachedRuns?: number;
  /**
   * How many runs' workflow code the kernel keeps running between decisions (straight-line and
   * async workflows continue instead of replaying; least recently used out first). Default 500.
   */
  maxLiveRuns?: number;
  /** Bounds on a run's unconsumed signals. Default: 1,000 signals, 4 MiB. */
  signalLimits?: SignalLimits;
  /** What keeps one writer per run beyond this process (a Web Lock). Default: none needed. */
  lock?: RunLock;
  /**
   * How many times a batch that met a stale head (another writer moved the log) is reloaded and
   * applied again before its callers hear the `ConcurrencyError`. Default 0.
   */
  conflictRetries?: number;
  /** Hears how each drive ended: the host arms its timers and reports errors from here. */
  onSettled?: (runId: string, outcome: DriveOutcome) => void;
}
