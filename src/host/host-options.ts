import type { ActionExecutor } from "../actions.ts";
import type { HostStore } from "../event-store.ts";
import type { Policy } from "../policy.ts";
import type { Clock, IdSource, Random, RunLock, Scheduler } from "../ports.ts";
import type { SignalLimits } from "../signal-limits.ts";
import type { Workflow } from "../workflow/workflow.ts";
import type { WorkflowRegistry } from "../workflow/workflow-registry.ts";
import type { ChangeFeed } from "./change-feed.ts";
import type { RunInfo } from "./run-info.ts";
import type { WakerFactory } from "./waker.ts";

/**
 * What a host is made of: a store, workflows, an executor and a policy, plus the ports in which
 * runtimes differ (lock, change feed, waker, clock, ids, randomness).
 */
export interface HostOptions {
  store: HostStore;
  // biome-ignore lint/suspicious/noExplicitAny: a host runs workflows of every input and state type.
  workflows: WorkflowRegistry | Iterable<Workflow<any, any>>;
  /** Runs tools and LLM calls. Default: one that fails every action as unknown. */
  executor?: ActionExecutor;
  policy?: Policy;
  /** Wakes sleeps and backoffs at their time. Default: `timerWaker` (setTimeout). */
  waker?: WakerFactory;
  /** What keeps one writer per run beyond this process (a tab's Web Lock). Default: none. */
  lock?: RunLock;
  /** Hears other writers' commits and tells them of this host's. Default: none. */
  feed?: ChangeFeed;
  /**
   * Follow the timers of runs the feed says others moved (arm or cancel their wake-ups here).
   * Default true; false for a host that never advances runs it was not asked about.
   */
  followFeedTimers?: boolean;
  clock?: Clock;
  /** Randomness of the workflows (recorded in the log) and of conflict back-offs. */
  random?: Random;
  /** Ids of runs, forks and signals made without one. Default: `crypto.randomUUID()`. */
  ids?: IdSource;
  /** Makes ids for runs started without one. Prefer `ids`. */
  newRunId?: () => string;
  scheduler?: Scheduler;
  /**
   * How many times a command that met a stale head (another writer) is applied again on a
   * reloaded run before it fails with `ConcurrencyError`. Default 1.
   */
  conflictRetries?: number;
  snapshotEvery?: number;
  /** How many runs' workflow code each kernel keeps running between decisions. Default 500. */
  maxLiveRuns?: number;
  /**
   * How many waiting runs (blocked on a human, a signal or a timer) stay in memory, most recently
   * active first, so a run that waits often continues its live code instead of replaying it.
   * Past the bound the least recently active is dropped and restored from its snapshot when next
   * needed. Default 64; 0 holds none.
   */
  maxIdleRuns?: number;
  /** Bounds on each run's unconsumed signals. Default: 1,000 signals, 4 MiB. */
  signalLimits?: SignalLimits;
  /** Hears errors of drives in the background (a step that threw, a store that failed). */
  onError?: (runId: string, error: unknown) => void;
  /** Called once by `close`, after the drives in progress finished: close what the host owns. */
  onClose?: () => void | Promise<void>;
}

/** How `start` behaves. */
export interface StartOptions {
  runId?: string;
  /** Start on this version instead of the newest. */
  version?: number;
  /** Wait until the run blocks or ends before answering. Default false: answer once it is recorded. */
  wait?: boolean;
}

/** What `start` answers: the run, and whether it existed already (an idempotent repeat). */
export interface Started extends RunInfo {
  existed: boolean;
}

/** How `close` ends. */
export interface CloseOptions {
  /** The longest wait for drives in progress before the host closes anyway. Default: no limit. */
  timeoutMs?: number;
}
