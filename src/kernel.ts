import type { ActionExecutor } from "./actions.ts";
import { BatchApplier } from "./apply-batch.ts";
import { commitDepsOf } from "./commit.ts";
import type { EffectSink } from "./effects.ts";
import { KernelError, NondeterminismError } from "./errors.ts";
import type { EventStore } from "./event-store.ts";
import type { HashStore } from "./hash-store.ts";
import type { Json } from "./json.ts";
import { assertJsonDepth } from "./json-depth.ts";
import { DeterminismGuard, isReplaying, KernelMode } from "./kernel-mode.ts";
import type { KernelOptions } from "./kernel-options.ts";
import { LiveCache } from "./live-cache.ts";
import { AllowAllPolicy, type Policy } from "./policy.ts";
import {
  type Clock,
  processLock,
  type Random,
  type RunLock,
  type Scheduler,
  systemClock,
  systemRandom,
  timerScheduler,
} from "./ports.ts";
import type { Reducer } from "./reducer.ts";
import type { Migrations } from "./restore.ts";
import { RunAborts } from "./run-aborts.ts";
import { RunCache } from "./run-cache.ts";
import { answer, type Command, fail, type NewCommand, RunMailbox } from "./run-mailbox.ts";
import type { RunMeta } from "./run-meta.ts";
import { type RunStatus, statusOf } from "./run-status.ts";
import type { SignalLimits } from "./signal-limits.ts";
import { snapshotBytesOption } from "./snapshot-cadence.ts";
import type { SnapshotStore } from "./snapshot-store.ts";
import type { StepFn } from "./step.ts";
import { buildTimeline, type RunTimeline } from "./timeline.ts";
import { type VerifyReport, verifyRun } from "./verify.ts";

/** How a drive the kernel ran on its own ended: the run's status, or why it failed. */
export type DriveOutcome = { status: RunStatus } | { error: unknown };

/**
 * The driver: restores a run, asks the step function what is next, records it, runs actions,
 * and repeats until the run blocks, completes or fails. Every call for a run is a command in the
 * run's mailbox, applied by one loop: the commands that waited are applied together (one load,
 * one commit), then one drive advances the run. Several kernels on one store are kept apart by
 * `expectedHead` (`ConcurrencyError`) and, beyond one process, by the `lock` port.
 */
export class Kernel<S> {
  readonly events: EventStore;
  readonly snapshots: SnapshotStore<S> | undefined;
  readonly reducer: Reducer<S>;
  readonly executor: ActionExecutor;
  readonly step: StepFn<S>;
  readonly policy: Policy;
  readonly effectSink: EffectSink | undefined;
  readonly mode: KernelMode;
  readonly clock: Clock;
  readonly random: Random;
  readonly scheduler: Scheduler;
  readonly lock: RunLock;
  readonly snapshotEvery: number;
  readonly snapshotGrowth: number;
  readonly snapshotBytes: number | undefined;
  readonly stateVersion: number;
  readonly migrations: Migrations<S> | undefined;
  readonly inlineRetryMaxMs: number;
  readonly hashes: HashStore | undefined;
  readonly maxCachedRuns: number;
  readonly signalLimits: SignalLimits | undefined;
  readonly conflictRetries: number;
  readonly #cache: RunCache<S>;
  readonly #live: LiveCache;
  readonly #boxes = new Map<string, RunMailbox<S>>();
  readonly #aborts: RunAborts;
  readonly #guard: DeterminismGuard;
  readonly #applier: BatchApplier<S>;

  constructor(o: KernelOptions<S>) {
    this.events = o.events;
    this.snapshots = o.snapshots as SnapshotStore<S> | undefined;
    this.reducer = o.reducer;
    this.executor = o.executor;
    this.step = o.step;
    this.policy = o.policy ?? new AllowAllPolicy();
    this.effectSink = o.effectSink;
    this.mode = o.mode ?? KernelMode.Normal;
    this.clock = o.clock ?? systemClock;
    this.random = o.random ?? systemRandom;
    this.scheduler = o.scheduler ?? timerScheduler;
    this.lock = o.lock ?? processLock;
    this.snapshotEvery = Math.max(1, o.snapshotEvery ?? 64);
    this.snapshotGrowth = Math.max(0, o.snapshotGrowth ?? 0);
    this.snapshotBytes = snapshotBytesOption(o.snapshotBytes);
    this.stateVersion = o.stateVersion ?? 1;
    this.migrations = o.migrations;
    this.inlineRetryMaxMs = o.inlineRetryMaxMs ?? 1000;
    this.hashes = o.hashes;
    this.maxCachedRuns = Math.max(1, o.maxCachedRuns ?? 1000);
    this.signalLimits = o.signalLimits;
    this.conflictRetries = Math.max(0, o.conflictRetries ?? 0);
    this.#guard = new DeterminismGuard(this.mode);
    this.#live = new LiveCache(o.maxLiveRuns ?? 500);
    this.#aborts = new RunAborts((runId) => this.#boxes.get(runId)?.cancelReason);
    const restore = {
      events: this.events,
      snapshots: this.snapshots,
      reducer: this.reducer,
      stateVersion: this.stateVersion,
      migrations: this.migrations,
    };
    this.#cache = new RunCache(this.maxCachedRuns, restore, (runId) => this.#live.delete(runId));
    this.#applier = new BatchApplier<S>({
      events: this.events,
      cache: this.#cache,
      mode: this.mode,
      hashes: this.hashes,
      signalLimits: this.signalLimits,
      conflictRetries: this.conflictRetries,
      scheduler: this.scheduler,
      random: this.random,
      onSettled: o.onSettled,
      now: () => this.#now(),
      commit: commitDepsOf(
        this,
        () => this.#now(),
        (runId) => this.#cache.drop(runId),
      ),
      driveDeps: (runId, box, commit) => ({
        step: this.step,
        policy: this.policy,
        random: this.random,
        effectSink: this.effectSink,
        pending: {
          events: this.events,
          executor: this.executor,
          policy: this.policy,
          scheduler: this.scheduler,
          inlineRetryMaxMs: this.inlineRetryMaxMs,
          now: () => this.#now(),
          aborts: this.#aborts,
        },
        live: this.#live.slot(runId),
        commit,
        cancelReason: () => box.cancelReason,
        cancelRecorded: () => {
          box.cancelReason = undefined;
          box.cancelRecorded = true;
        },
      }),
    });
  }

  /** The guard of this kernel's mode. */
  determinismGuard(): DeterminismGuard {
    return new DeterminismGuard(this.mode);
  }

  /**
   * Advances the run until it blocks, completes or fails. In replay and verify mode it re-drives
   * the recorded log instead, executing nothing.
   * @throws ConcurrencyError when another writer moved the log; NondeterminismError in verify mode.
   */
  runUntilBlocked(runId: string, initialState: S): Promise<RunStatus> {
    return this.#send(runId, { kind: "drive", initial: initialState, wait: true, drive: true });
  }

  /**
   * Answers the interrupt the run waits on, then advances it: answered once the run settles, or
   * once the answer is recorded with `wait: false` (the drive goes on). `drive: false` only
   * records it.
   * @throws NotBlockedError (nothing appended) when the run is not waiting on an interrupt, or on
   * another one than `interruptId`.
   */
  resume(
    runId: string,
    initialState: S,
    value: Json,
    options: { interruptId?: string; drive?: boolean; wait?: boolean } = {},
  ): Promise<RunStatus> {
    const refused = this.#refuseReplay("resume");
    if (refused) return refused;
    return this.#send(runId, {
      kind: "resume",
      initial: initialState,
      value,
      ...(options.interruptId === undefined ? {} : { interruptId: options.interruptId }),
      drive: options.drive !== false,
      wait: options.wait !== false,
    });
  }

  /**
   * Records a named signal (once per `signalId`: a repeat appends nothing) and advances the run;
   * a `waitSignal` for that name consumes it, now or later. A signal that comes while the run's
   * drive is running is recorded with that drive's next commit.
   * @throws TooManySignalsError (code `too_many_signals`, nothing appended) when the run would
   * hold more unconsumed signals than `signalLimits` allow; KernelError `conflict` after its end.
   */
  signal(
    runId: string,
    initialState: S,
    name: string,
    value: Json,
    signalId: string,
    options: { drive?: boolean; wait?: boolean } = {},
  ): Promise<RunStatus> {
    const refused = this.#refuseReplay("signal");
    if (refused) return refused;
    // A value too deep to store fails here, alone, before it can join a batch of others.
    try {
      assertJsonDepth(value, `run ${runId}: signal ${name} value`);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#send(runId, {
      kind: "signal",
      initial: initialState,
      name,
      value,
      signalId,
      drive: options.drive !== false,
      wait: options.wait !== false,
    });
  }

  /**
   * Ends the run with `Cancelled`; a pending action's outcome is never recorded after it. Calls
   * in flight are aborted at once (their signals fire), so a drive in progress does not wait for
   * them: it records the cancel at its next step.
   * @throws KernelError `conflict` when the run has already ended.
   */
  cancel(runId: string, initialState: S, reason = "cancelled"): Promise<RunStatus> {
    const refused = this.#refuseReplay("cancel");
    if (refused) return refused;
    this.requestCancel(runId, reason);
    return this.#send(runId, {
      kind: "cancel",
      initial: initialState,
      reason,
      drive: false,
      wait: false,
    });
  }

  /**
   * Asks the run's drive in progress to record a cancel and aborts the calls it has in flight,
   * without waiting for anything; `cancel` records it when no drive does. Returns whether a drive
   * or other commands were in progress.
   */
  requestCancel(runId: string, reason = "cancelled"): boolean {
    this.#assertLive("cancel");
    const box = this.#box(runId);
    box.cancelReason ??= reason;
    this.#aborts.abortAll(runId);
    return !box.idle;
  }

  /**
   * Where the run stands and the kernel's meta, without waiting for a drive in progress: what
   * this kernel holds in memory, or a fresh restore that it does not keep.
   */
  async inspect(runId: string, initialState: S): Promise<{ status: RunStatus; meta: RunMeta }> {
    // A copy behind the store's head was moved by another writer: read afresh, not kept.
    const held = this.#cache.peek(runId);
    const current = held && held.meta.head >= (await this.events.head(runId)) ? held : undefined;
    const run = current ?? (await this.#cache.restore(runId, initialState));
    return { status: statusOf(run.meta, this.clock.now()), meta: run.meta };
  }

  /** Where the run stands once the commands before this one are applied, without advancing it. */
  status(runId: string, initialState: S): Promise<RunStatus> {
    return this.#send(runId, { kind: "status", initial: initialState, wait: false, drive: false });
  }

  /** Resolves when the run's mailbox is empty and no drive of it runs. */
  async idle(runId: string): Promise<void> {
    for (;;) {
      const box = this.#boxes.get(runId);
      if (!box?.serving) return;
      await box.serving.catch(() => undefined);
    }
  }

  /** Resolves when every run's mailbox is empty. */
  async drain(): Promise<void> {
    await Promise.all([...this.#boxes.keys()].map((runId) => this.idle(runId)));
  }

  /** The state the run's whole log folds to; nothing is executed. */
  async replay(runId: string, initialState: S): Promise<S> {
    let state = initialState;
    for (const se of await this.events.read(runId, 1)) state = this.reducer.apply(state, se);
    return state;
  }

  /** The state from the latest snapshot plus the events after it; nothing is executed. */
  async replayFromSnapshot(runId: string, initialState: S): Promise<S> {
    return (await this.#cache.restore(runId, initialState)).state;
  }

  /** The run's timeline: every event with its time, durations, and the final status. */
  async timeline(runId: string): Promise<RunTimeline> {
    return buildTimeline(runId, await this.events.read(runId, 1), this.clock.now());
  }

  /**
   * Re-drives the step function over the recorded log with the recorded outcomes, executing
   * nothing, and reports the first seq where its decision differs; checks the stored hash too.
   */
  async verify(runId: string, initialState: S): Promise<VerifyReport> {
    const events = await this.events.read(runId, 1);
    const stored = this.hashes ? await this.hashes.load(runId) : undefined;
    return verifyRun({
      runId,
      initialState,
      events,
      step: this.step,
      reducer: this.reducer,
      stored,
    });
  }

  /** Drops what this kernel holds in memory for a run; the next call restores it from the store. */
  forget(runId: string): void {
    this.#cache.drop(runId);
  }

  #box(runId: string): RunMailbox<S> {
    let box = this.#boxes.get(runId);
    if (!box) {
      box = new RunMailbox<S>();
      this.#boxes.set(runId, box);
    }
    return box;
  }

  #send(runId: string, command: NewCommand<S>): Promise<RunStatus> {
    return new Promise<RunStatus>((resolve, reject) => {
      const box = this.#box(runId);
      box.queue.push({ ...command, resolve, reject } as Command<S>);
      this.#serve(runId, box);
    });
  }

  /** Starts the run's loop unless it runs; an empty mailbox with no cancel pending goes. */
  #serve(runId: string, box: RunMailbox<S>): void {
    box.serve(
      this.lock,
      runId,
      (batch) => this.#apply(runId, box, batch),
      () => {
        if (box.cancelReason === undefined && this.#boxes.get(runId) === box)
          this.#boxes.delete(runId);
      },
    );
  }

  /** Applies one batch; a stale head (another writer) reloads the run and applies what is left. */
  async #apply(runId: string, box: RunMailbox<S>, batch: Command<S>[]): Promise<void> {
    const initial = (batch[0] as Command<S>).initial;
    if (isReplaying(this.mode)) {
      for (const c of batch) {
        await this.#verifyOrThrow(runId, initial).then(
          (status) => answer(c, status),
          (error: unknown) => fail(c, error),
        );
      }
      return;
    }
    await this.#applier.applyRetrying(runId, box, batch, initial);
  }

  async #verifyOrThrow(runId: string, initialState: S): Promise<RunStatus> {
    const r = await this.verify(runId, initialState);
    if (!r.ok) throw new NondeterminismError(r.message, r.divergedAt ?? r.head);
    return r.status;
  }

  #now(): number {
    this.#guard.checkClockAccess();
    return this.clock.now();
  }

  #refuseReplay(what: string): Promise<never> | undefined {
    return isReplaying(this.mode) ? Promise.reject(this.#replayError(what)) : undefined;
  }

  #assertLive(what: string): void {
    if (isReplaying(this.mode)) throw this.#replayError(what);
  }

  #replayError(what: string): KernelError {
    return new KernelError(
      "determinism",
      `${what} appends to the log, which ${this.mode} mode never does`,
    );
  }
}
