import { KernelError, RunNotFoundError } from "../errors.ts";
import type { Event, SequencedEvent } from "../events.ts";
import { forkRun } from "../fork.ts";
import type { Json } from "../json.ts";
import { type Clock, type IdSource, systemClock, systemIds } from "../ports.ts";
import { type ExportedRun, exportRun } from "../run-export.ts";
import type { RunPage, RunQuery } from "../run-index.ts";
import type { RunTimeline } from "../timeline.ts";
import type { VerifyReport } from "../verify.ts";
import type { Workflow } from "../workflow/workflow.ts";
import { WorkflowRegistry } from "../workflow/workflow-registry.ts";
import { DriveOutcomes } from "./drive-outcomes.ts";
import type { HostOptions, Started, StartOptions } from "./host-options.ts";
import { assertRunId } from "./ids.ts";
import { importRunText } from "./import-run.ts";
import { type CommitListener, ObservedStore } from "./observed-store.ts";
import { recoverRuns } from "./recover-runs.ts";
import { type RunContext, RunContexts } from "./run-contexts.ts";
import type { RunHost, WorkflowInfo } from "./run-host.ts";
import type { RunInfo } from "./run-info.ts";
import { runInfo } from "./run-info-of.ts";
import { assertSameStart, recordStart, startInput, workflowToStart } from "./start-run.ts";
import { timerWaker, type Waker } from "./waker.ts";
import { type WatchOptions, watchRun } from "./watch.ts";

declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;

export type { CloseOptions, HostOptions, Started, StartOptions } from "./host-options.ts";

/**
 * Binds workflows to a store, an executor, a policy and the runtime's ports, and runs them. Each
 * run's commands go to its kernel's mailbox, whose one loop records them and drives the run; the
 * host arms the run's wake-up when a drive settles, reports failed drives and retries them, keeps
 * the most recently active waiting runs in memory, and follows other writers through its feed.
 */
export class Host implements RunHost {
  readonly store: ObservedStore;
  readonly registry: WorkflowRegistry;
  readonly clock: Clock;
  readonly #o: HostOptions;
  readonly #ids: IdSource;
  readonly #waker: Waker;
  readonly #runs: RunContexts;
  readonly #outcomes: DriveOutcomes;
  // Drives sent and not yet settled, for `idle`.
  readonly #sent = new Map<string, Promise<unknown>>();
  #relaying = false;
  #closing: Promise<boolean> | undefined;

  constructor(o: HostOptions) {
    this.#o = o;
    this.store = o.store instanceof ObservedStore ? o.store : new ObservedStore(o.store);
    this.registry =
      o.workflows instanceof WorkflowRegistry ? o.workflows : new WorkflowRegistry(o.workflows);
    this.clock = o.clock ?? systemClock;
    this.#ids = o.ids ?? (o.newRunId ? { newId: o.newRunId } : systemIds);
    this.#waker = (o.waker ?? timerWaker)((runId) => void this.wake(runId), this.clock);
    this.#runs = new RunContexts(
      {
        store: this.store,
        clock: this.clock,
        executor: o.executor,
        policy: o.policy,
        random: o.random,
        scheduler: o.scheduler,
        lock: o.lock,
        conflictRetries: o.conflictRetries ?? 1,
        snapshotEvery: o.snapshotEvery,
        maxLiveRuns: o.maxLiveRuns,
        signalLimits: o.signalLimits,
        onSettled: (runId, outcome) => this.#outcomes.settled(runId, outcome),
      },
      this.registry,
    );
    this.#outcomes = new DriveOutcomes({
      runs: this.#runs,
      waker: this.#waker,
      clock: this.clock,
      store: this.store,
      maxIdleRuns: o.maxIdleRuns,
      onError: o.onError,
      closing: () => this.#closing !== undefined,
    });
    const feed = o.feed;
    if (feed) {
      feed.open((runId, events) => this.#foreign(runId, events));
      if (feed.post) {
        this.store.subscribe("*", (runId, events) => {
          if (!this.#relaying) feed.post?.(runId, events);
        });
      }
    }
  }

  /** The workflows this host runs: each name's newest version, with every version it has. */
  workflows(): WorkflowInfo[] {
    return this.registry.list().map((w) => ({
      name: w.name,
      version: w.version,
      versions: this.registry.versions(w.name),
      ...(w.description ? { description: w.description } : {}),
    }));
  }

  /**
   * Starts a run of the workflow's newest version (or `version`) with `input`. With a `runId`
   * that exists already for the same workflow and the same input (after the workflow's parse) it
   * answers that run (`existed: true`).
   * @throws ValidationError for an unknown workflow or bad input; KernelError `conflict` when the
   * run id belongs to another workflow or was started with other input.
   */
  async start(workflowName: string, input: unknown, options: StartOptions = {}): Promise<Started> {
    const workflow = workflowToStart(this.registry, workflowName, options.version);
    const runId = options.runId ?? this.#ids.newId();
    assertRunId(runId);
    const parsed = startInput(workflow, input);
    if (!(await recordStart(this.store, this.clock, runId, workflow, parsed))) {
      const ctx = await this.#runs.get(runId);
      await assertSameStart(this.store, runId, ctx.name, workflowName, parsed);
      return { ...(await this.get(runId)), existed: true };
    }
    await this.#drive(runId, options.wait === true);
    return { ...(await this.get(runId)), existed: false };
  }

  /**
   * The run as it stands, without waiting for a drive in progress.
   * @throws RunNotFoundError for an unknown run.
   */
  async get(runId: string): Promise<RunInfo> {
    const summary = await this.store.getRun(runId);
    if (!summary) throw new RunNotFoundError(runId);
    const ctx = await this.#runs.get(runId, false);
    if (!ctx.workflow) {
      return runInfo(summary, undefined, {
        code: "workflow_unavailable",
        message: this.#unavailable(runId, ctx),
      });
    }
    const { status } = await ctx.kernel.inspect(runId, ctx.initial);
    return runInfo(summary, status, this.#outcomes.errorOf(runId));
  }

  /** Runs, newest first. */
  list(query: RunQuery = {}): Promise<RunPage> {
    return this.store.listRuns(query);
  }

  /** A run's events from `from`, at most `limit`. */
  async events(
    runId: string,
    from = 1,
    limit?: number,
  ): Promise<{ events: SequencedEvent[]; head: number }> {
    await this.#assertExists(runId);
    const [events, head] = await Promise.all([
      this.store.read(runId, from, limit),
      this.store.head(runId),
    ]);
    return { events, head };
  }

  /** The run's timeline. */
  async timeline(runId: string): Promise<RunTimeline> {
    return (await this.#runs.get(runId, false)).kernel.timeline(runId);
  }

  /**
   * Answers the interrupt the run waits on; the run then continues (awaited with `wait`).
   * @throws NotBlockedError when it is not waiting on that interrupt; nothing is appended.
   */
  async resume(
    runId: string,
    value: Json,
    options: { interruptId?: string; wait?: boolean } = {},
  ): Promise<RunInfo> {
    const ctx = await this.#live(runId);
    await ctx.kernel.resume(runId, ctx.initial, value ?? null, {
      wait: options.wait === true,
      ...(options.interruptId === undefined ? {} : { interruptId: options.interruptId }),
    });
    return this.get(runId);
  }

  /**
   * Records a signal (once per `signalId`); a run waiting for it continues. A signal that comes
   * while the run is being driven is recorded with that drive's next commit.
   * @throws TooManySignalsError (`too_many_signals`) past the run's `signalLimits`; nothing appended.
   */
  async signal(
    runId: string,
    name: string,
    value: Json,
    options: { signalId?: string; wait?: boolean } = {},
  ): Promise<RunInfo> {
    const ctx = await this.#live(runId);
    const signalId = options.signalId ?? this.#ids.newId();
    await ctx.kernel.signal(runId, ctx.initial, name, value ?? null, signalId, {
      wait: options.wait === true,
    });
    return this.get(runId);
  }

  /**
   * Cancels the run: tool and LLM calls in flight are aborted at once (their signals fire) and
   * recorded as cancelled; a drive in progress stops without waiting for them.
   * @throws KernelError `conflict` when the run has already ended.
   */
  async cancel(runId: string, reason = "cancelled"): Promise<RunInfo> {
    const ctx = await this.#runs.get(runId);
    await ctx.kernel.cancel(runId, ctx.initial, reason);
    this.#waker.cancel(runId);
    return this.get(runId);
  }

  /** Drives a run now: what the waker calls when a timer or backoff is due. */
  async wake(runId: string): Promise<unknown> {
    return this.#drive(runId, true);
  }

  /**
   * Drops what this host holds in memory for a run (after another process or tab wrote to it);
   * the next call restores it from the store.
   */
  forget(runId: string): void {
    this.#runs.delete(runId);
    this.#outcomes.forget(runId);
  }

  /** Resolves when the run's commands so far have been applied and its drive has settled. */
  async idle(runId: string): Promise<void> {
    await this.#sent.get(runId);
    await Promise.all(this.#runs.kernels().map((k) => k.idle(runId)));
  }

  /** New events of a run as they are committed, from `from`; ends after the run ends. */
  watch(runId: string, options: WatchOptions = {}): AsyncGenerator<SequencedEvent> {
    return watchRun(this.store, runId, options);
  }

  /** Hears every commit of every run, this host's and (through its feed) other writers'. */
  onCommit(listener: CommitListener): () => void {
    return this.store.subscribe("*", listener);
  }

  /** Copies a run up to `atSeq` into a new run (with alternate events) and continues it. */
  async fork(
    runId: string,
    atSeq: number,
    options: { newRunId?: string; alternate?: Event[]; wait?: boolean } = {},
  ): Promise<RunInfo> {
    await this.#assertExists(runId);
    const newRunId = options.newRunId ?? this.#ids.newId();
    assertRunId(newRunId);
    await forkRun(this.store, runId, atSeq, newRunId, {
      clock: this.clock,
      ...(options.alternate ? { alternate: options.alternate } : {}),
    });
    await this.#drive(newRunId, options.wait === true);
    return this.get(newRunId);
  }

  /** The run's log as NDJSON with its hash. */
  exportRun(runId: string): Promise<string> {
    return exportRun(this.store, runId);
  }

  /**
   * Imports an NDJSON export as a new run, checking it whole, then continues it here. The log must
   * start with `RunStarted` of a workflow version this host has, and every decision in it must be
   * one that workflow's code makes (`verifyRun`); a pending tool or LLM call passes this host's
   * policy and budgets before it runs (a refusal is recorded as its failure).
   * @throws ValidationError for a log that fails any check (nothing is written); KernelError
   * `conflict` when the run exists.
   */
  async importRun(text: string, options: { runId?: string } = {}): Promise<ExportedRun> {
    const imported = await importRunText(this.store, this.registry, this.clock, text, {
      ...options,
      policyOf: (workflow) => this.#runs.kernel(workflow).policy,
    });
    await this.#drive(imported.runId, false);
    return imported;
  }

  /** Re-drives the run's workflow over its log and reports the first divergence. */
  async verify(runId: string): Promise<VerifyReport> {
    const ctx = await this.#live(runId);
    return ctx.kernel.verify(runId, ctx.initial);
  }

  /** The state the run's log folds to. */
  async replay(runId: string): Promise<unknown> {
    const ctx = await this.#live(runId);
    return ctx.kernel.replay(runId, ctx.initial);
  }

  /**
   * After a restart or a page load: re-arms the timers of every sleeping and backing-off run (due
   * ones at once) and drives runs that were running when the process stopped.
   */
  async recover(): Promise<{ woken: number; rearmed: number }> {
    return recoverRuns(this.store, {
      schedule: (runId, at) => this.#waker.schedule(runId, at),
      drive: (runId) => void this.#drive(runId, false),
    });
  }

  /** Stops timers and the feed, waits for drives in progress (at most `timeoutMs`), then `onClose`. */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    await this.closeWithin(options.timeoutMs);
  }

  /** As `close`, resolving true when every drive finished within `timeoutMs`. Idempotent. */
  closeWithin(timeoutMs?: number): Promise<boolean> {
    this.#closing ??= this.#close(timeoutMs);
    return this.#closing;
  }

  async #close(timeoutMs: number | undefined): Promise<boolean> {
    this.#waker.close();
    this.#o.feed?.close();
    const drained = Promise.all([...this.#sent.values()])
      .then(() => Promise.all(this.#runs.kernels().map((k) => k.drain())))
      .then(() => true);
    let timer: unknown;
    const finished = await (timeoutMs === undefined
      ? drained
      : Promise.race([
          drained,
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), timeoutMs);
          }),
        ]));
    clearTimeout(timer);
    // A drive cut off here loses no committed event: its action, requested durably, runs again
    // with the same actionId after the next start.
    await this.#o.onClose?.();
    return finished;
  }

  /**
   * Sends the run a drive (through its mailbox); answers after it settles with `wait`, else at
   * once. Until the drive is in the mailbox (the run's context may need a read), `idle` waits
   * for it here.
   */
  #drive(runId: string, wait: boolean): Promise<unknown> {
    if (this.#closing) return Promise.resolve(undefined);
    const drive = this.#runs
      .get(runId)
      .then((ctx) => (ctx.workflow ? ctx.kernel.runUntilBlocked(runId, ctx.initial) : undefined))
      .catch(() => undefined);
    this.#sent.set(runId, drive);
    void drive.then(() => {
      if (this.#sent.get(runId) === drive) this.#sent.delete(runId);
    });
    return wait ? drive : Promise.resolve(undefined);
  }

  /** Another writer committed: tell this host's watchers, drop its copy, follow its timer. */
  #foreign(runId: string, events: readonly SequencedEvent[]): void {
    if (this.#closing) return;
    this.forget(runId);
    this.#relaying = true;
    try {
      if (events.length > 0) this.store.publish(runId, events);
    } finally {
      this.#relaying = false;
    }
    if (this.#o.followFeedTimers !== false) this.#outcomes.followTimer(runId);
  }

  async #assertExists(runId: string): Promise<void> {
    if ((await this.store.head(runId)) === 0) throw new RunNotFoundError(runId);
  }

  async #live(runId: string): Promise<RunContext & { workflow: Workflow<unknown, unknown> }> {
    const ctx = await this.#runs.get(runId);
    if (!ctx.workflow) throw new KernelError("workflow_unavailable", this.#unavailable(runId, ctx));
    return ctx as RunContext & { workflow: Workflow<unknown, unknown> };
  }

  #unavailable(runId: string, ctx: RunContext): string {
    const have = this.registry.versions(ctx.name);
    const has = have.length > 0 ? `it has v${have.join(", v")}` : "it has no version of it";
    return `run ${runId} started on ${ctx.name} v${ctx.version}, which this host no longer has (${has}); it is not advanced`;
  }
}

/** Creates a host. Call `recover()` once at start-up on a durable store. */
export function createHost(options: HostOptions): Host {
  return new Host(options);
}
