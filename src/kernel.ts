import type { ActionExecutor } from "./actions.ts";
import { decisionEvents } from "./decision.ts";
import type { EffectSink } from "./effects.ts";
import { KernelError, NondeterminismError, NotBlockedError, ValidationError } from "./errors.ts";
import { hashEvents } from "./event-hash.ts";
import type { EventStore } from "./event-store.ts";
import type { Event } from "./events.ts";
import { sequence } from "./events.ts";
import { executeBatch } from "./execute-batch.ts";
import { executePending } from "./execute-pending.ts";
import type { HashStore } from "./hash-store.ts";
import type { Json } from "./json.ts";
import { assertJsonDepth } from "./json-depth.ts";
import { DeterminismGuard, isReplaying, KernelMode } from "./kernel-mode.ts";
import type { KernelOptions } from "./kernel-options.ts";
import { LiveCache } from "./live-cache.ts";
import { AllowAllPolicy, type Policy } from "./policy.ts";
import {
  type Clock,
  type Random,
  type Scheduler,
  systemClock,
  systemRandom,
  timerScheduler,
} from "./ports.ts";
import type { Reducer } from "./reducer.ts";
import { refusals } from "./refusal.ts";
import { applyAll, type LoadedRun, type Migrations, restoreRun } from "./restore.ts";
import { RunAborts } from "./run-aborts.ts";
import { summarize } from "./run-index.ts";
import { RunLocks } from "./run-locks.ts";
import { cloneMeta, type RunMeta } from "./run-meta.ts";
import { type RunStatus, statusOf } from "./run-status.ts";
import { recordedSignal } from "./signal-dedupe.ts";
import {
  answerSignals,
  bySignalId,
  reusedIdError,
  SignalInbox,
  signalEvents,
  type WaitingSignal,
} from "./signal-inbox.ts";
import {
  isAwaited,
  pendingSignals,
  type SignalLimits,
  signalBytes,
  signalRefusal,
} from "./signal-limits.ts";
import type { Snapshot, SnapshotStore } from "./snapshot-store.ts";
import type { StepContext, StepFn } from "./step.ts";
import { buildTimeline, type RunTimeline } from "./timeline.ts";
import { type VerifyReport, verifyRun } from "./verify.ts";

/**
 * The driver: restores a run, asks the step function what is next, records it, runs actions,
 * and repeats until the run blocks, completes or fails. One kernel serializes the calls it gets
 * for one run; several kernels on one store are kept apart by `expectedHead` (`ConcurrencyError`).
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
  readonly snapshotEvery: number;
  readonly snapshotGrowth: number;
  readonly stateVersion: number;
  readonly migrations: Migrations<S> | undefined;
  readonly inlineRetryMaxMs: number;
  readonly hashes: HashStore | undefined;
  readonly maxCachedRuns: number;
  readonly signalLimits: SignalLimits | undefined;
  readonly #runs = new Map<string, LoadedRun<S>>();
  readonly #live: LiveCache;
  readonly #locks = new RunLocks();
  readonly #aborts = new RunAborts();
  readonly #inbox = new SignalInbox();
  readonly #guard: DeterminismGuard;

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
    this.snapshotEvery = Math.max(1, o.snapshotEvery ?? 64);
    this.snapshotGrowth = Math.max(0, o.snapshotGrowth ?? 0);
    this.stateVersion = o.stateVersion ?? 1;
    this.migrations = o.migrations;
    this.inlineRetryMaxMs = o.inlineRetryMaxMs ?? 1000;
    this.hashes = o.hashes;
    this.maxCachedRuns = Math.max(1, o.maxCachedRuns ?? 1000);
    this.signalLimits = o.signalLimits;
    this.#guard = new DeterminismGuard(this.mode);
    this.#live = new LiveCache(o.maxLiveRuns ?? 500);
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
    return this.#locks.with(runId, async () => {
      if (isReplaying(this.mode)) return this.#verifyOrThrow(runId, initialState);
      const run = await this.#load(runId, initialState);
      return this.#drive(runId, run);
    });
  }

  /**
   * Answers the interrupt the run waits on, then advances it.
   * @throws NotBlockedError (nothing appended) when the run is not waiting on an interrupt, or on
   * another one than `interruptId`.
   */
  resume(
    runId: string,
    initialState: S,
    value: Json,
    options: { interruptId?: string; drive?: boolean } = {},
  ): Promise<RunStatus> {
    return this.#locks.with(runId, async () => {
      this.#assertLive("resume");
      const run = await this.#load(runId, initialState);
      const waiting = run.meta.interrupt;
      if (!waiting) {
        throw new NotBlockedError(
          `run ${runId} is not waiting on an interrupt; nothing was appended`,
        );
      }
      if (options.interruptId !== undefined && options.interruptId !== waiting.id) {
        throw new NotBlockedError(
          `run ${runId} waits on interrupt ${waiting.id}, not ${options.interruptId}; nothing was appended`,
        );
      }
      await this.#commit(runId, run, [{ type: "Resumed", interruptId: waiting.id, value }]);
      return options.drive === false ? statusOf(run.meta, this.#now()) : this.#drive(runId, run);
    });
  }

  /**
   * Records a named signal (once per `signalId`: a repeat appends nothing) and advances the run;
   * a `waitSignal` for that name consumes it, now or later.
   * @throws TooManySignalsError (code `too_many_signals`, nothing appended) when the run would
   * hold more unconsumed signals than `signalLimits` allow; KernelError `conflict` after its end.
   */
  signal(
    runId: string,
    initialState: S,
    name: string,
    value: Json,
    signalId: string,
    options: { drive?: boolean } = {},
  ): Promise<RunStatus> {
    // A value too deep to store fails here, alone, before it can join a batch of others.
    try {
      assertJsonDepth(value, `run ${runId}: signal ${name} value`);
    } catch (error) {
      return Promise.reject(error);
    }
    if (options.drive === false && this.#locks.isBusy(runId) && !isReplaying(this.mode)) {
      if (name.length > 0 && signalId.length > 0)
        return this.#enqueueSignal(runId, initialState, { name, value, signalId });
    }
    return this.#locks.with(runId, async () => {
      this.#assertLive("signal");
      if (name.length === 0) throw new ValidationError(`run ${runId}: a signal needs a name`);
      if (signalId.length === 0)
        throw new ValidationError(`run ${runId}: a signal needs a signalId`);
      const run = await this.#load(runId, initialState);
      // A signal seen before is answered as it was, even after the run ended: retries are safe.
      // Its id must name the same signal, else the second would be dropped unheard.
      const recorded = await recordedSignal(this.events, runId, run.meta, signalId);
      const seen = recorded !== undefined;
      const reused = recorded && reusedIdError(runId, signalId, recorded, { name, value });
      if (reused) throw reused;
      if (run.meta.terminal) {
        if (seen) return statusOf(run.meta, this.#now());
        throw new KernelError(
          "conflict",
          `run ${runId} has ${run.meta.terminal.type}; signal ${name} was not recorded`,
        );
      }
      if (!seen) {
        const tooMany = isAwaited(run.meta, name)
          ? undefined
          : signalRefusal(
              runId,
              name,
              signalBytes(name, value),
              pendingSignals(run.meta),
              this.signalLimits,
            );
        if (tooMany) throw tooMany;
        await this.#commit(runId, run, [{ type: "SignalReceived", name, value, signalId }]);
      }
      return options.drive === false ? statusOf(run.meta, this.#now()) : this.#drive(runId, run);
    });
  }

  /**
   * A signal for a run whose drive is in progress waits in an inbox that the drive empties at its
   * next step, so the sender hears back once it is recorded, not once the drive is over. If the
   * drive ends first, the next holder of the run's lock records it.
   */
  #enqueueSignal(
    runId: string,
    initialState: S,
    signal: { name: string; value: Json; signalId: string },
  ): Promise<RunStatus> {
    return new Promise<RunStatus>((resolve, reject) => {
      this.#inbox.push(runId, { ...signal, resolve, reject });
      this.#locks
        .with(runId, async () => this.#drainInbox(runId, await this.#load(runId, initialState)))
        .catch((error: unknown) => this.#inbox.rejectAll(runId, error));
    });
  }

  /**
   * Records the signals waiting in the run's inbox in one commit and answers their senders. A
   * signal whose id names another recorded signal is refused alone; when the store refuses the
   * batch (a value it cannot hold), the signals are recorded one id at a time, so a bad one fails
   * alone and the others are taken.
   */
  async #drainInbox(runId: string, run: LoadedRun<S>): Promise<void> {
    const { signals, recorded } = await this.#withoutReusedIds(runId, run, this.#inbox.take(runId));
    if (signals.length === 0) return;
    try {
      const { events, refused } = signalEvents(
        runId,
        signals,
        run.meta,
        recorded,
        this.signalLimits,
      );
      const refusal =
        events.length === 0 ? undefined : await this.#commitRefusable(runId, run, events);
      if (refusal === undefined) {
        answerSignals(signals, refused, statusOf(run.meta, this.#now()));
        return;
      }
      for (const group of bySignalId(signals)) {
        const one = signalEvents(runId, group, run.meta, recorded, this.signalLimits);
        const why =
          one.events.length === 0 ? undefined : await this.#commitRefusable(runId, run, one.events);
        if (why) for (const s of group) s.reject(why);
        else answerSignals(group, one.refused, statusOf(run.meta, this.#now()));
      }
    } catch (error) {
      // Senders already answered keep their answer: a settled promise ignores this.
      for (const s of signals) s.reject(error);
      throw error;
    }
  }

  /**
   * The signals to record: each one that reuses an id for another signal is refused now. Also
   * the ids among them that the log already holds.
   */
  async #withoutReusedIds(
    runId: string,
    run: LoadedRun<S>,
    signals: WaitingSignal[],
  ): Promise<{ signals: WaitingSignal[]; recorded: Set<string> }> {
    const first = new Map<string, { name: string; value: Json }>();
    const recordedIds = new Set<string>();
    const kept: WaitingSignal[] = [];
    for (const s of signals) {
      let recorded = first.get(s.signalId);
      if (!recorded) {
        const inLog = await recordedSignal(this.events, runId, run.meta, s.signalId);
        if (inLog) recordedIds.add(s.signalId);
        recorded = inLog ?? s;
        first.set(s.signalId, recorded);
      }
      const reused = reusedIdError(runId, s.signalId, recorded, s);
      if (reused) {
        s.reject(reused);
        continue;
      }
      kept.push(s);
    }
    return { signals: kept, recorded: recordedIds };
  }

  /**
   * Commits events the store may refuse as invalid (a value it cannot hold). An append is atomic,
   * so on such a refusal nothing was written: the run is put back as it was and the refusal is
   * answered instead of thrown. Any other failure is thrown as `#commit` throws it.
   */
  async #commitRefusable(
    runId: string,
    run: LoadedRun<S>,
    events: Event[],
  ): Promise<ValidationError | undefined> {
    // Signals change only top-level fields of the meta and its list of unconsumed signals.
    const saved = {
      state: run.state,
      meta: {
        ...run.meta,
        signals: run.meta.signals.slice(),
      },
      snapshotAt: run.snapshotAt,
    };
    try {
      await this.#commit(runId, run, events);
      return undefined;
    } catch (error) {
      if (!ValidationError.is(error)) throw error;
      Object.assign(run, saved);
      this.#runs.set(runId, run);
      return error;
    }
  }

  /**
   * Ends the run with `Cancelled`; a pending action's outcome is never recorded after it.
   * @throws KernelError `conflict` when the run has already ended.
   */
  cancel(runId: string, initialState: S, reason = "cancelled"): Promise<RunStatus> {
    this.#assertLive("cancel");
    // A drive in progress sees the request at its next step and records the cancellation itself;
    // the actions it has in flight are aborted now, so it does not wait for them.
    this.requestCancel(runId, reason);
    return this.#locks.with(runId, async () => {
      const run = await this.#load(runId, initialState);
      const requested = this.#aborts.requested(runId);
      this.#aborts.clear(runId);
      const terminal = run.meta.terminal;
      if (terminal?.type === "cancelled" && requested !== undefined)
        return statusOf(run.meta, this.#now());
      if (terminal) {
        throw new KernelError(
          "conflict",
          `run ${runId} has already ${terminal.type}; it cannot be cancelled`,
        );
      }
      await this.#commit(runId, run, [{ type: "Cancelled", reason }]);
      return statusOf(run.meta, this.#now());
    });
  }

  /**
   * Without waiting for the run's lock: when a drive holds it, records a cancel for that drive
   * and aborts the calls it has in flight, so the lock comes free at once; `cancel` still has to
   * be called to settle it. Returns whether a drive was in progress.
   */
  requestCancel(runId: string, reason = "cancelled"): boolean {
    this.#assertLive("cancel");
    if (!this.#locks.isBusy(runId)) return false;
    this.#aborts.request(runId, reason);
    return true;
  }

  /**
   * Where the run stands and the kernel's meta, without waiting for a drive in progress: what
   * this kernel holds in memory, or a fresh restore that it does not keep.
   */
  async inspect(runId: string, initialState: S): Promise<{ status: RunStatus; meta: RunMeta }> {
    const cached = this.#runs.get(runId);
    const run = cached ?? (await restoreRun(runId, initialState, this.#restoreOptions()));
    return { status: statusOf(run.meta, this.clock.now()), meta: run.meta };
  }

  /** Where the run stands now, without advancing it. */
  status(runId: string, initialState: S): Promise<RunStatus> {
    return this.#locks.with(runId, async () => {
      const run = await this.#load(runId, initialState);
      return statusOf(run.meta, this.clock.now());
    });
  }

  /** The state the run's whole log folds to; nothing is executed. */
  async replay(runId: string, initialState: S): Promise<S> {
    let state = initialState;
    for (const se of await this.events.read(runId, 1)) state = this.reducer.apply(state, se);
    return state;
  }

  /** The state from the latest snapshot plus the events after it; nothing is executed. */
  async replayFromSnapshot(runId: string, initialState: S): Promise<S> {
    const run = await restoreRun(runId, initialState, this.#restoreOptions());
    return run.state;
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
    this.#drop(runId);
  }

  #drop(runId: string): void {
    this.#runs.delete(runId);
    this.#live.delete(runId);
  }

  async #verifyOrThrow(runId: string, initialState: S): Promise<RunStatus> {
    const report = await this.verify(runId, initialState);
    if (!report.ok) throw new NondeterminismError(report.message, report.divergedAt ?? report.head);
    return report.status;
  }

  async #load(runId: string, initialState: S): Promise<LoadedRun<S>> {
    const cached = this.#runs.get(runId);
    if (cached) {
      const head = await this.events.head(runId);
      if (head === cached.meta.head) return cached;
      if (head > cached.meta.head) {
        applyAll(cached, await this.events.read(runId, cached.meta.head + 1), this.reducer);
        if (cached.meta.head === head) return cached;
      }
      this.#drop(runId);
    }
    const run = await restoreRun(runId, initialState, this.#restoreOptions());
    this.#runs.set(runId, run);
    // Runs held in memory are a cache: past the bound, the least recently loaded one goes.
    if (this.#runs.size > this.maxCachedRuns) {
      const oldest = this.#runs.keys().next().value;
      if (oldest !== undefined && oldest !== runId) this.#drop(oldest);
    }
    return run;
  }

  #restoreOptions() {
    return {
      events: this.events,
      snapshots: this.snapshots,
      reducer: this.reducer,
      stateVersion: this.stateVersion,
      migrations: this.migrations,
    };
  }

  async #drive(runId: string, run: LoadedRun<S>): Promise<RunStatus> {
    for (;;) {
      if (this.#inbox.has(runId)) await this.#drainInbox(runId, run);
      const meta = run.meta;
      const cancel = this.#aborts.requested(runId);
      if (cancel !== undefined && !meta.terminal) {
        await this.#commit(runId, run, [{ type: "Cancelled", reason: cancel }]);
      }
      if (meta.terminal || meta.interrupt) return this.#settle(runId, run);
      if (meta.pending) {
        const execute = meta.more ? executeBatch : executePending;
        const blocked = await execute(this.#pendingDeps(), runId, run, (events) =>
          this.#commit(runId, run, events),
        );
        if (blocked) return this.#settle(runId, run);
        continue;
      }
      await this.#decide(runId, run);
    }
  }

  async #decide(runId: string, run: LoadedRun<S>): Promise<void> {
    const randoms: number[] = [];
    const ctx: StepContext = {
      runId,
      live: this.#live.slot(runId),
      now: () => run.meta.lastTs,
      random: () => {
        const value = this.random.next();
        randoms.push(value);
        return value;
      },
    };
    const next = await this.step.next(run.state, ctx);
    const events = decisionEvents(runId, run.meta.head, next, randoms);
    const sink = this.effectSink;
    if (next.type === "emit") {
      if (sink) {
        for (const e of next.events) {
          if (e.type === "StateUpdated") {
            sink.record(
              runId,
              e.stepId === undefined
                ? { type: "StateWrite", payload: e.payload }
                : { type: "StateWrite", stepId: e.stepId, payload: e.payload },
            );
          }
        }
      }
      if (events.length > 0) await this.#commit(runId, run, events);
      return;
    }
    if (next.type === "do" || next.type === "doAll") {
      events.push(...(await refusals(this.policy, runId, run.meta, events, sink)));
      await this.#commit(runId, run, events);
      return;
    }
    if (next.type === "interrupt" && sink)
      sink.record(runId, { type: "InterruptRaise", value: next.value });
    await this.#commit(runId, run, events);
  }

  #pendingDeps() {
    return {
      executor: this.executor,
      policy: this.policy,
      scheduler: this.scheduler,
      inlineRetryMaxMs: this.inlineRetryMaxMs,
      now: () => this.#now(),
      aborts: this.#aborts,
      events: this.events,
    };
  }

  async #settle(runId: string, run: LoadedRun<S>): Promise<RunStatus> {
    if (this.mode === KernelMode.Record && this.hashes) {
      const events = await this.events.read(runId, 1);
      await this.hashes.save({ runId, atSeq: run.meta.head, hash: await hashEvents(events) });
    }
    return statusOf(run.meta, this.#now());
  }

  /**
   * Commits one batch: numbered from the head held in memory, stamped with one time, applied to
   * state and meta, and sent with a snapshot when one is due (cadence, or the run blocks or ends)
   * in the same append. A failed append drops the run from memory so the next call restores it.
   */
  async #commit(
    runId: string,
    run: LoadedRun<S>,
    given: Event[] | ((ts: number) => Event[]),
  ): Promise<void> {
    const before = run.meta.head;
    const ts = Math.max(this.#now(), run.meta.lastTs);
    const events = typeof given === "function" ? given(ts) : given;
    const batch = sequence(events, before, ts);
    const output =
      events.length === 1 && events[0]?.type === "ActionSucceeded" ? events[0] : undefined;
    // An outcome changes only top-level fields of the meta and its list of buffered signals, so
    // a shallow copy is enough to put the run back if the store refuses the output.
    const saved = output
      ? {
          state: run.state,
          meta: {
            ...run.meta,
            signals: run.meta.signals.slice(),
            ...(run.meta.more ? { more: run.meta.more.slice() } : {}),
          },
          snapshotAt: run.snapshotAt,
        }
      : undefined;
    applyAll(run, batch, this.reducer);
    const summary = summarize(runId, run.meta, ts);
    const settled = summary.status !== "running";
    const every = Math.max(this.snapshotEvery, Math.floor(run.snapshotAt * this.snapshotGrowth));
    const due = run.meta.head - run.snapshotAt >= every || settled;
    const combined =
      due && this.snapshots !== undefined && (this.snapshots as unknown) === this.events;
    let snapshot: Snapshot<S> | undefined;
    try {
      // Inside the try: a meta that cannot be copied (a value too deep for JSON) fails the commit
      // like a store's refusal, and the run is put back or dropped from memory with it.
      snapshot =
        due && this.snapshots
          ? {
              runId,
              atSeq: run.meta.head,
              state: run.state,
              stateVersion: this.stateVersion,
              meta: cloneMeta(run.meta),
            }
          : undefined;
      await this.events.append(runId, batch, {
        expectedHead: before,
        durability: settled ? "strict" : "relaxed",
        summary,
        ...(combined && snapshot ? { snapshot } : {}),
      });
    } catch (error) {
      if (output && saved && ValidationError.is(error)) {
        // The store refused the output itself (too large, say): running the action again would
        // only be refused again, so the refusal becomes the action's recorded, final failure.
        Object.assign(run, saved);
        const message = `run ${runId}: the store refused the output of ${output.actionId}: ${error.message}`;
        const failure = { kind: "permanent" as const, code: "output_refused", message };
        await this.#commit(runId, run, [
          { type: "ActionFailed", actionId: output.actionId, error: failure },
        ]);
        return;
      }
      this.#drop(runId);
      throw error;
    }
    if (!snapshot) return;
    if (!combined && this.snapshots) {
      // A snapshot is a cache: the events are committed, so a failed save only costs restore time.
      try {
        await this.snapshots.save(snapshot);
      } catch {
        return;
      }
    }
    run.snapshotAt = snapshot.atSeq;
  }

  #now(): number {
    this.#guard.checkClockAccess();
    return this.clock.now();
  }

  #assertLive(what: string): void {
    if (isReplaying(this.mode)) {
      throw new KernelError(
        "determinism",
        `${what} appends to the log, which ${this.mode} mode never does`,
      );
    }
  }
}
