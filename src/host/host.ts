import type { ActionExecutor } from "../actions.ts";
import { currentFlags } from "../behaviour-flags.ts";
import { canonicalJson } from "../canonical-json.ts";
import {
  ConcurrencyError,
  KernelError,
  RunNotFoundError,
  toErrorData,
  ValidationError,
} from "../errors.ts";
import type { HostStore } from "../event-store.ts";
import type { Event, SequencedEvent } from "../events.ts";
import { EVENT_FORMAT, sequence } from "../events.ts";
import { forkRun } from "../fork.ts";
import type { Json } from "../json.ts";
import { Kernel } from "../kernel.ts";
import { assertPlausibleTimes } from "../log-times.ts";
import { AllowAllPolicy, type Policy } from "../policy.ts";
import { type Clock, type Random, type Scheduler, systemClock, systemRandom } from "../ports.ts";
import { type ExportedRun, exportRun, importParsed, parseExport } from "../run-export.ts";
import { type RunPage, type RunQuery, summarize } from "../run-index.ts";
import { metaOf } from "../run-meta.ts";
import { isTerminal, type RunStatus, wakeAt } from "../run-status.ts";
import type { SignalLimits } from "../signal-limits.ts";
import type { RunTimeline } from "../timeline.ts";
import type { VerifyReport } from "../verify.ts";
import { parseWorkflowInput, type Workflow } from "../workflow/workflow.ts";
import { WorkflowRegistry } from "../workflow/workflow-registry.ts";
import { withBudgets } from "./budget-policy.ts";
import { assertRunId } from "./ids.ts";
import { checkImport } from "./import-check.ts";
import { ObservedStore } from "./observed-store.ts";
import { recoverRuns } from "./recover-runs.ts";
import type { RunHost, WorkflowInfo } from "./run-host.ts";
import type { RunInfo } from "./run-info.ts";
import { runInfo } from "./run-info-of.ts";
import { timerWaker, type Waker, type WakerFactory } from "./waker.ts";
import { type WatchOptions, watchRun } from "./watch.ts";

/** What a host is made of. */
export interface HostOptions {
  store: HostStore;
  // biome-ignore lint/suspicious/noExplicitAny: a host runs workflows of every input and state type.
  workflows: WorkflowRegistry | Iterable<Workflow<any, any>>;
  /** Runs tools and LLM calls. Default: one that fails every action as unknown. */
  executor?: ActionExecutor;
  policy?: Policy;
  /** Default: `timerWaker` (setTimeout). */
  waker?: WakerFactory;
  clock?: Clock;
  random?: Random;
  scheduler?: Scheduler;
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
  /** Makes ids for runs started without one. Default: `crypto.randomUUID()`. */
  newRunId?: () => string;
  /** Bounds on each run's unconsumed signals. Default: 1,000 signals, 4 MiB. */
  signalLimits?: SignalLimits;
  /** Hears errors of drives in the background (a step that threw, a store that failed). */
  onError?: (runId: string, error: unknown) => void;
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

interface RunContext {
  // biome-ignore lint/suspicious/noExplicitAny: see HostOptions.workflows.
  workflow: Workflow<any, any> | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: see above.
  kernel: Kernel<any>;
  initial: unknown;
  name: string;
  version: number;
}

declare const crypto: { randomUUID(): string };

/** How many runs' workflow contexts (initial state included) a host keeps between calls. */
const MAX_CONTEXTS = 256;

const noExecutor: ActionExecutor = {
  execute: (_runId, action) => ({
    type: "failure",
    error: { kind: "permanent", message: `this host has no executor for ${action.type}` },
  }),
};

/**
 * Binds workflows to a store, an executor, a policy and a waker, and runs them: one driver per
 * run, durable sleeps and backoffs woken at their time, new events announced to watchers.
 */
export class Host implements RunHost {
  readonly store: ObservedStore;
  readonly registry: WorkflowRegistry;
  readonly clock: Clock;
  readonly #o: HostOptions;
  readonly #waker: Waker;
  // biome-ignore lint/suspicious/noExplicitAny: see HostOptions.workflows.
  readonly #kernels = new Map<string, Kernel<any>>();
  readonly #contexts = new Map<string, RunContext>();
  // Waiting runs still held in memory, least recently active first.
  readonly #idle = new Set<string>();
  readonly #inflight = new Map<string, Promise<unknown>>();
  readonly #errors = new Map<string, { code: string; message: string }>();
  readonly #failures = new Map<string, number>();
  #closed = false;

  constructor(o: HostOptions) {
    this.#o = o;
    this.store = o.store instanceof ObservedStore ? o.store : new ObservedStore(o.store);
    this.registry =
      o.workflows instanceof WorkflowRegistry ? o.workflows : new WorkflowRegistry(o.workflows);
    this.clock = o.clock ?? systemClock;
    this.#waker = (o.waker ?? timerWaker)((runId) => void this.wake(runId), this.clock);
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
    const workflow = this.registry.get(workflowName, options.version);
    if (!workflow) {
      const known =
        this.registry
          .list()
          .map((w) => w.name)
          .join(", ") || "none";
      const what =
        options.version === undefined ? workflowName : `${workflowName} v${options.version}`;
      throw new ValidationError(`unknown workflow ${what}; this host has: ${known}`);
    }
    const runId = options.runId ?? (this.#o.newRunId ?? (() => crypto.randomUUID()))();
    assertRunId(runId);
    // No input means an empty object for a workflow that declares its input, null otherwise.
    const given = input === undefined ? (workflow.input ? {} : null) : input;
    const parsed = parseWorkflowInput(workflow, given) as Json;
    const existing = await this.store.getRun(runId);
    if (existing || (await this.store.head(runId)) > 0)
      return this.#existing(runId, workflowName, parsed);
    const events: Event[] = [
      {
        type: "RunStarted",
        workflow: workflow.name,
        input: parsed,
        version: workflow.version,
        format: EVENT_FORMAT,
        flags: currentFlags(),
      },
    ];
    const batch = sequence(events, 0, this.clock.now());
    try {
      await this.store.append(runId, batch, {
        expectedHead: 0,
        summary: summarize(runId, metaOf(batch), this.clock.now()),
      });
    } catch (error) {
      if (ConcurrencyError.is(error)) return this.#existing(runId, workflowName, parsed);
      throw error;
    }
    const drive = this.#drive(runId);
    if (options.wait) await drive;
    return { ...(await this.get(runId)), existed: false };
  }

  /**
   * The run as it stands, without waiting for a drive in progress.
   * @throws RunNotFoundError for an unknown run.
   */
  async get(runId: string): Promise<RunInfo> {
    const summary = await this.store.getRun(runId);
    if (!summary) throw new RunNotFoundError(runId);
    const ctx = await this.#context(runId, false);
    if (!ctx.workflow) {
      return runInfo(summary, undefined, {
        code: "workflow_unavailable",
        message: this.#unavailable(runId, ctx.name, ctx.version),
      });
    }
    const { status } = await ctx.kernel.inspect(runId, ctx.initial);
    return runInfo(summary, status, this.#errors.get(runId));
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
    const ctx = await this.#context(runId, false);
    return ctx.kernel.timeline(runId);
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
    const resumeOptions = {
      drive: false,
      ...(options.interruptId === undefined ? {} : { interruptId: options.interruptId }),
    };
    await ctx.kernel.resume(runId, ctx.initial, value ?? null, resumeOptions);
    const drive = this.#drive(runId);
    if (options.wait) await drive;
    return this.get(runId);
  }

  /**
   * Records a signal (once per `signalId`); a run waiting for it continues.
   * @throws TooManySignalsError (`too_many_signals`) past the run's `signalLimits`; nothing appended.
   */
  async signal(
    runId: string,
    name: string,
    value: Json,
    options: { signalId?: string; wait?: boolean } = {},
  ): Promise<RunInfo> {
    const ctx = await this.#live(runId);
    const signalId = options.signalId ?? crypto.randomUUID();
    await ctx.kernel.signal(runId, ctx.initial, name, value ?? null, signalId, { drive: false });
    const drive = this.#drive(runId);
    if (options.wait) await drive;
    return this.get(runId);
  }

  /**
   * Cancels the run: tool and LLM calls in flight are aborted at once (their signals fire) and
   * recorded as cancelled; a drive in progress stops without waiting for them.
   * @throws KernelError `conflict` when the run has already ended.
   */
  async cancel(runId: string, reason = "cancelled"): Promise<RunInfo> {
    const ctx = await this.#context(runId);
    await ctx.kernel.cancel(runId, ctx.initial, reason);
    this.#waker.cancel(runId);
    return this.get(runId);
  }

  /**
   * Aborts this host's calls in flight for the run and has its drive record the cancel, without
   * waiting for anything: for a wrapper that takes its own lock (a tab's Web Lock) before `cancel`.
   */
  requestCancel(runId: string, reason = "cancelled"): void {
    const ctx = this.#contexts.get(runId);
    ctx?.kernel.requestCancel(runId, reason);
  }

  /** Drives a run now: what the waker calls when a timer or backoff is due. */
  wake(runId: string): Promise<unknown> {
    return this.#drive(runId);
  }

  /**
   * Drops what this host holds in memory for a run (after another process or tab wrote to it);
   * the next call restores it from the store.
   */
  forget(runId: string): void {
    const ctx = this.#contexts.get(runId);
    ctx?.kernel.forget(runId);
    this.#contexts.delete(runId);
    this.#idle.delete(runId);
  }

  /** Resolves when the run's drives so far have finished. */
  async idle(runId: string): Promise<void> {
    for (;;) {
      const current = this.#inflight.get(runId);
      if (!current) return;
      await current.catch(() => undefined);
      if (this.#inflight.get(runId) === current) return;
    }
  }

  /** New events of a run as they are committed, from `from`; ends after the run ends. */
  watch(runId: string, options: WatchOptions = {}): AsyncGenerator<SequencedEvent> {
    return watchRun(this.store, runId, options);
  }

  /** Copies a run up to `atSeq` into a new run (with alternate events) and continues it. */
  async fork(
    runId: string,
    atSeq: number,
    options: { newRunId?: string; alternate?: Event[]; wait?: boolean } = {},
  ): Promise<RunInfo> {
    await this.#assertExists(runId);
    const newRunId = options.newRunId ?? crypto.randomUUID();
    assertRunId(newRunId);
    await forkRun(this.store, runId, atSeq, newRunId, {
      clock: this.clock,
      ...(options.alternate ? { alternate: options.alternate } : {}),
    });
    const drive = this.#drive(newRunId);
    if (options.wait) await drive;
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
    const parsed = await parseExport(text);
    // The header's run id is not covered by the hash: check it like any id from outside.
    const runId = options.runId ?? parsed.header.runId;
    assertRunId(runId);
    const first = parsed.events[0]?.event;
    if (first?.type !== "RunStarted") {
      throw new ValidationError(
        `the export's first event is ${first?.type ?? "missing"}, not RunStarted: a host imports only runs a host started; nothing was imported`,
      );
    }
    const now = this.clock.now();
    assertPlausibleTimes(parsed.events, now);
    const workflow = this.registry.get(first.workflow, first.version);
    if (!workflow) {
      throw new ValidationError(
        `the export is a run of ${first.workflow} v${first.version}, which this host does not have; nothing was imported`,
      );
    }
    const policy = this.#kernel(workflow).policy;
    const then = await checkImport(workflow, policy, runId, parsed.events, first.input);
    const imported = await importParsed(this.store, parsed, { runId, now, then });
    void this.#drive(imported.runId);
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
   * After a restart: re-arms the timers of every sleeping and backing-off run (due ones at once)
   * and drives runs that were running when the process stopped, paging through the whole index.
   */
  async recover(): Promise<{ woken: number; rearmed: number }> {
    return recoverRuns(this.store, {
      schedule: (runId, at) => this.#waker.schedule(runId, at),
      drive: (runId) => void this.#drive(runId),
    });
  }

  /** Stops timers; drives in progress finish. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#waker.close();
    await Promise.all([...this.#inflight.values()].map((p) => p.catch(() => undefined)));
  }

  #drive(runId: string): Promise<unknown> {
    const previous = this.#inflight.get(runId) ?? Promise.resolve();
    const drive = previous.catch(() => undefined).then(() => this.#driveOnce(runId));
    this.#inflight.set(runId, drive);
    void drive.finally(() => {
      if (this.#inflight.get(runId) === drive) this.#inflight.delete(runId);
    });
    return drive;
  }

  async #driveOnce(runId: string, attempt = 0): Promise<RunStatus | undefined> {
    if (this.#closed) return undefined;
    try {
      const ctx = await this.#context(runId);
      if (!ctx.workflow) return undefined;
      const status = await ctx.kernel.runUntilBlocked(runId, ctx.initial);
      this.#errors.delete(runId);
      this.#failures.delete(runId);
      // A drive that ends with due work (a timer that came due while the drive was settling, after
      // a wake-up that fired a moment early) is re-driven at once, never left unarmed.
      const at = wakeAt(status) ?? (status.type === "running" ? this.clock.now() : undefined);
      if (at !== undefined && !this.#closed) this.#waker.schedule(runId, at);
      else this.#waker.cancel(runId);
      this.#idle.delete(runId);
      if (isTerminal(status)) this.#release(runId, ctx);
      else if (status.type === "blocked") this.#holdIdle(runId, ctx);
      return status;
    } catch (error) {
      // Another writer moved the log: the kernel dropped its copy; reload and go on once.
      if (ConcurrencyError.is(error) && attempt === 0) return this.#driveOnce(runId, 1);
      const data = toErrorData(error);
      const last = this.#errors.get(runId);
      this.#errors.set(runId, { code: data.code, message: data.message });
      // Reported once per change: a store that keeps failing the same way is heard of once, not
      // at every retry; a success, or another error, makes the next failure news again.
      if (last?.code !== data.code || last.message !== data.message)
        this.#o.onError?.(runId, error);
      await this.#retryLater(runId);
      return undefined;
    }
  }

  /**
   * After a failed drive (a store that failed, a step that threw), wakes the run again after a
   * backoff that doubles from a second up to a minute, or at its timer when that is still ahead
   * and sooner. A timer already due never shortens the backoff: a store that keeps failing would
   * otherwise be retried in a hot loop.
   */
  async #retryLater(runId: string): Promise<void> {
    if (this.#closed) return;
    const failures = (this.#failures.get(runId) ?? 0) + 1;
    this.#failures.set(runId, failures);
    const now = this.clock.now();
    const backoff = now + retryBackoffMs(failures);
    const summary = await this.store.getRun(runId).catch(() => undefined);
    const timer = summary?.wakeAt;
    const at = timer !== undefined && timer > now ? Math.min(timer, backoff) : backoff;
    if (
      summary &&
      (summary.status === "completed" ||
        summary.status === "failed" ||
        summary.status === "cancelled")
    )
      return;
    this.#waker.schedule(runId, at);
  }

  /** Drops a run from memory: the next call restores it from its snapshot, one read. */
  #release(runId: string, ctx: RunContext): void {
    ctx.kernel.forget(runId);
    if (this.#contexts.get(runId) === ctx) this.#contexts.delete(runId);
  }

  /**
   * Keeps a waiting run in memory among the most recently active few. Holding every waiting
   * run's state would grow with the number of runs (1,000 runs with 100 KB inputs: +343 MiB);
   * holding none would make a run that waits often replay its code at every wait.
   */
  #holdIdle(runId: string, ctx: RunContext): void {
    const bound = this.#o.maxIdleRuns ?? 64;
    this.#idle.add(runId);
    while (this.#idle.size > bound) {
      const oldest = this.#idle.values().next().value as string;
      this.#idle.delete(oldest);
      const held = this.#contexts.get(oldest);
      if (held) this.#release(oldest, held);
      else if (oldest === runId) this.#release(runId, ctx);
    }
  }

  async #existing(runId: string, workflowName: string, input: Json): Promise<Started> {
    const ctx = await this.#context(runId);
    if (ctx.name !== workflowName) {
      throw new KernelError(
        "conflict",
        `run ${runId} already exists for workflow ${ctx.name}, not ${workflowName}`,
      );
    }
    // A repeat is the same request: the same id with other input is another run, refused.
    const [first] = await this.store.read(runId, 1, 1);
    const started = first?.event.type === "RunStarted" ? first.event.input : undefined;
    if (canonicalJson(started ?? null) !== canonicalJson(input)) {
      throw new KernelError(
        "conflict",
        `run ${runId} already exists with other input; nothing was started (a new run needs a new id)`,
      );
    }
    return { ...(await this.get(runId)), existed: true };
  }

  async #assertExists(runId: string): Promise<void> {
    if ((await this.store.head(runId)) === 0) throw new RunNotFoundError(runId);
  }

  async #live(runId: string): Promise<RunContext & { workflow: Workflow<unknown, unknown> }> {
    const ctx = await this.#context(runId);
    if (!ctx.workflow)
      throw new KernelError(
        "workflow_unavailable",
        this.#unavailable(runId, ctx.name, ctx.version),
      );
    return ctx as RunContext & { workflow: Workflow<unknown, unknown> };
  }

  #unavailable(runId: string, name: string, version: number): string {
    const have = this.registry.versions(name);
    const has = have.length > 0 ? `it has v${have.join(", v")}` : "it has no version of it";
    return `run ${runId} started on ${name} v${version}, which this host no longer has (${has}); it is not advanced`;
  }

  /** The run's workflow, kernel and initial state; kept for the next call unless `keep` is false. */
  async #context(runId: string, keep = true): Promise<RunContext> {
    const cached = this.#contexts.get(runId);
    if (cached) return cached;
    const [first] = await this.store.read(runId, 1, 1);
    if (!first) throw new RunNotFoundError(runId);
    if (first.event.type !== "RunStarted") {
      throw new ValidationError(
        `run ${runId} was not started by a host (its first event is ${first.event.type})`,
      );
    }
    const { workflow: name, version, input } = first.event;
    const workflow = this.registry.get(name, version);
    const ctx: RunContext = workflow
      ? { workflow, kernel: this.#kernel(workflow), initial: workflow.init(input), name, version }
      : { workflow: undefined, kernel: this.#bareKernel(), initial: null, name, version };
    if (workflow && keep) {
      this.#contexts.set(runId, ctx);
      // A cache of the runs in use, not of every run ever read: the oldest entry goes first.
      if (this.#contexts.size > MAX_CONTEXTS) {
        const oldest = this.#contexts.keys().next().value;
        if (oldest !== undefined && oldest !== runId) this.#contexts.delete(oldest);
      }
    }
    return ctx;
  }

  // biome-ignore lint/suspicious/noExplicitAny: see HostOptions.workflows.
  #kernel(workflow: Workflow<any, any>): Kernel<any> {
    const key = `${workflow.name}@${workflow.version}`;
    let kernel = this.#kernels.get(key);
    if (!kernel) {
      const o = this.#o;
      kernel = new Kernel({
        events: this.store,
        snapshots: this.store,
        reducer: workflow.reducer,
        step: workflow.step,
        executor: o.executor ?? noExecutor,
        policy: withBudgets(o.policy ?? new AllowAllPolicy(), workflow.budgets),
        clock: this.clock,
        random: o.random ?? systemRandom,
        ...(o.scheduler ? { scheduler: o.scheduler } : {}),
        ...(o.snapshotEvery ? { snapshotEvery: o.snapshotEvery } : {}),
        ...(o.maxLiveRuns === undefined ? {} : { maxLiveRuns: o.maxLiveRuns }),
        ...(o.signalLimits ? { signalLimits: o.signalLimits } : {}),
        ...(workflow.stateVersion ? { stateVersion: workflow.stateVersion } : {}),
        ...(workflow.snapshotGrowth ? { snapshotGrowth: workflow.snapshotGrowth } : {}),
        ...(workflow.migrations ? { migrations: workflow.migrations } : {}),
      });
      this.#kernels.set(key, kernel);
    }
    return kernel;
  }

  /** A kernel that can record a cancellation for a run whose workflow is gone, and nothing else. */
  // biome-ignore lint/suspicious/noExplicitAny: see HostOptions.workflows.
  #bareKernel(): Kernel<any> {
    return (
      this.#kernels.get("") ??
      (this.#kernels
        .set(
          "",
          new Kernel({
            events: this.store,
            reducer: { apply: (s) => s },
            step: {
              next: () => {
                throw new KernelError(
                  "workflow_unavailable",
                  "this run's workflow is not registered",
                );
              },
            },
            executor: noExecutor,
            clock: this.clock,
          }),
        )
        .get("") as Kernel<unknown>)
    );
  }
}

/** The wait before the next drive after `failures` failed ones in a row: 1 s, 2 s, 4 s, … 60 s. */
function retryBackoffMs(failures: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.min(16, Math.max(0, failures - 1)));
}

/** Creates a host. Call `recover()` once at start-up on a durable store. */
export function createHost(options: HostOptions): Host {
  return new Host(options);
}
