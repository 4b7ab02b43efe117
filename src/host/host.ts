import type { ActionExecutor } from "../actions.ts";
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
import { sequence } from "../events.ts";
import { forkRun } from "../fork.ts";
import type { Json } from "../json.ts";
import { Kernel } from "../kernel.ts";
import { AllowAllPolicy, type Policy } from "../policy.ts";
import { type Clock, type Random, type Scheduler, systemClock, systemRandom } from "../ports.ts";
import { type ExportedRun, exportRun, importRun, parseExport } from "../run-export.ts";
import { type RunPage, type RunQuery, summarize } from "../run-index.ts";
import { metaOf } from "../run-meta.ts";
import { isTerminal, type RunStatus, wakeAt } from "../run-status.ts";
import type { RunTimeline } from "../timeline.ts";
import type { VerifyReport } from "../verify.ts";
import { parseWorkflowInput, type Workflow } from "../workflow/workflow.ts";
import { WorkflowRegistry } from "../workflow/workflow-registry.ts";
import { withBudgets } from "./budget-policy.ts";
import { assertRunId } from "./ids.ts";
import { ObservedStore } from "./observed-store.ts";
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
  /** Makes ids for runs started without one. Default: `crypto.randomUUID()`. */
  newRunId?: () => string;
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
      { type: "RunStarted", workflow: workflow.name, input: parsed, version: workflow.version },
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
    const ctx = await this.#context(runId);
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
    const ctx = await this.#context(runId);
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

  /** Records a signal (once per `signalId`); a run waiting for it continues. */
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
   * Cancels the run; a drive in progress stops at its next step.
   * @throws KernelError `conflict` when the run has already ended.
   */
  async cancel(runId: string, reason = "cancelled"): Promise<RunInfo> {
    const ctx = await this.#context(runId);
    await ctx.kernel.cancel(runId, ctx.initial, reason);
    this.#waker.cancel(runId);
    return this.get(runId);
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

  /** Imports an NDJSON export as a new run, checking it whole; the run then continues here. */
  async importRun(text: string, options: { runId?: string } = {}): Promise<ExportedRun> {
    // The header's run id is not covered by the hash: check it like any id from outside.
    const runId = options.runId ?? (await parseExport(text)).header.runId;
    assertRunId(runId);
    const imported = await importRun(this.store, text, { runId, now: this.clock.now() });
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
   * After a restart: re-arms the timers of sleeping and backing-off runs (due ones at once) and
   * drives runs that were running when the process stopped.
   */
  async recover(): Promise<{ woken: number; rearmed: number }> {
    let woken = 0;
    let rearmed = 0;
    for (const run of await this.store.wakingRuns()) {
      this.#waker.schedule(run.runId, run.wakeAt ?? 0);
      rearmed += 1;
    }
    let cursor: string | undefined;
    do {
      const page = await this.store.listRuns({
        status: "running",
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      for (const run of page.runs) {
        void this.#drive(run.runId);
        woken += 1;
      }
      cursor = page.nextCursor;
    } while (cursor);
    return { woken, rearmed };
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
      const at = wakeAt(status);
      if (at !== undefined && !this.#closed) this.#waker.schedule(runId, at);
      else this.#waker.cancel(runId);
      if (isTerminal(status)) {
        // An ended run needs nothing in memory; a later call restores it from its snapshot.
        ctx.kernel.forget(runId);
        this.#contexts.delete(runId);
      }
      return status;
    } catch (error) {
      // Another writer moved the log: the kernel dropped its copy; reload and go on once.
      if (ConcurrencyError.is(error) && attempt === 0) return this.#driveOnce(runId, 1);
      const data = toErrorData(error);
      this.#errors.set(runId, { code: data.code, message: data.message });
      this.#o.onError?.(runId, error);
      await this.#retryLater(runId);
      return undefined;
    }
  }

  /**
   * After a failed drive (a store that failed, a step that threw), wakes the run again: at its
   * timer when that is sooner, else after a backoff that doubles up to a minute.
   */
  async #retryLater(runId: string): Promise<void> {
    if (this.#closed) return;
    const failures = (this.#failures.get(runId) ?? 0) + 1;
    this.#failures.set(runId, failures);
    const backoff = this.clock.now() + Math.min(60_000, 1_000 * 2 ** (failures - 1));
    const summary = await this.store.getRun(runId).catch(() => undefined);
    const at = summary?.wakeAt !== undefined ? Math.min(summary.wakeAt, backoff) : backoff;
    if (
      summary &&
      (summary.status === "completed" ||
        summary.status === "failed" ||
        summary.status === "cancelled")
    )
      return;
    this.#waker.schedule(runId, at);
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

  async #context(runId: string): Promise<RunContext> {
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
    if (workflow) this.#contexts.set(runId, ctx);
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
        ...(workflow.stateVersion ? { stateVersion: workflow.stateVersion } : {}),
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

/** Creates a host. Call `recover()` once at start-up on a durable store. */
export function createHost(options: HostOptions): Host {
  return new Host(options);
}
