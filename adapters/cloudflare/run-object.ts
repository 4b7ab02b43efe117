import { DurableObject } from "cloudflare:workers";
import {
  type ActionExecutor,
  createHost,
  type Event,
  type ExportedRun,
  forkRun,
  type Host,
  type Json,
  type Policy,
  type RunInfo,
  type RunSummary,
  type RunTimeline,
  type SequencedEvent,
  type SignalLimits,
  type Started,
  ValidationError,
  type VerifyReport,
  type Workflow,
  WorkflowRegistry,
} from "../../src/index.ts";
import type { EventStore } from "../../src/store-kit/index.ts";
import { AlarmWaker } from "./alarm-waker.ts";
import { DurableObjectStore } from "./durable-object-store.ts";
import { eventStream } from "./event-stream.ts";
import { IndexReporter } from "./index-reporter.ts";
import { type RpcResult, toRpcResult, unwrapRpc } from "./rpc-result.ts";
import { type RunIndexRpc, runIndexOf } from "./run-index-object.ts";
import type { ForkSource, RunObjectRpc } from "./run-object-rpc.ts";

/** What a run object runs, and where it reports. Functions of `env` are called once per instance. */
export interface RunObjectOptions<Env> {
  // biome-ignore lint/suspicious/noExplicitAny: an object runs workflows of every input and state type.
  workflows: WorkflowRegistry | Iterable<Workflow<any, any>>;
  /** Runs tools and LLM calls. Default: one that fails every action as unknown. */
  executor?: ActionExecutor | ((env: Env) => ActionExecutor);
  policy?: Policy | ((env: Env) => Policy);
  snapshotEvery?: number;
  /** Bounds on the run's unconsumed signals. Default: 1,000 signals, 4 MiB. */
  signalLimits?: SignalLimits;
  /** The run index to report to. Default: the `RunIndexObject` bound as `RUN_INDEX`, if any. */
  index?: (env: Env) => RunIndexRpc | undefined;
  /** How long a run may stay `running` without a commit before the alarm re-drives it. */
  watchdogMs?: number;
  /** Hears errors of drives (a step that threw, a store that failed). Default: `console.error`. */
  onError?: (runId: string, error: unknown) => void;
}

const defaultIndex = (env: unknown): RunIndexRpc | undefined => {
  const binding = (env as { RUN_INDEX?: DurableObjectNamespace } | undefined)?.RUN_INDEX;
  return binding === undefined ? undefined : runIndexOf(binding);
};

/**
 * A run's own SQLite-backed Durable Object (one per run id, `idFromName(runId)`): a `Host` on a
 * `DurableObjectStore` of the object's storage, driven by the object alone (its input gate makes
 * it the one writer; `expectedHead` is still checked). The alarm is its waker: one alarm, at the
 * earliest time a sleep, a retry backoff, a stalled run or a lost index report is due. After each
 * commit the run's summary goes to the run index. Use `createRunObject` to bind the options.
 */
export class RunObject<Env = unknown> extends DurableObject<Env> implements RunObjectRpc {
  /** The host on this object's storage. */
  readonly host: Host;
  readonly #waker: AlarmWaker;
  readonly #reporter: IndexReporter | undefined;
  readonly #index: () => RunIndexRpc | undefined;

  /** Creates or migrates the schema, and sets the alarm to what the storage says is due. */
  constructor(ctx: DurableObjectState, env: Env, options: RunObjectOptions<Env>) {
    super(ctx, env);
    const clock = { now: () => this.now() };
    const store = new DurableObjectStore(ctx.storage);
    const registry =
      options.workflows instanceof WorkflowRegistry
        ? options.workflows
        : new WorkflowRegistry(options.workflows);
    // A stub per report: cheap to make, and never one left over from an earlier request.
    this.#index = () => (options.index ?? defaultIndex)(env);
    this.#reporter =
      this.#index() === undefined
        ? undefined
        : new IndexReporter(ctx.storage, (summary) => this.sendReport(summary));
    this.#waker = new AlarmWaker(ctx.storage, clock, {
      isDrivable: (run) =>
        run.workflow !== null && registry.get(run.workflow, run.version ?? undefined) !== undefined,
      extra: () => this.#reporter?.retryAt(clock.now()),
      ...(options.watchdogMs === undefined ? {} : { watchdogMs: options.watchdogMs }),
    });
    const { executor, policy } = options;
    this.host = createHost({
      store,
      workflows: registry,
      clock,
      waker: () => this.#waker,
      ...(executor === undefined
        ? {}
        : { executor: typeof executor === "function" ? executor(env) : executor }),
      ...(policy === undefined
        ? {}
        : { policy: typeof policy === "function" ? policy(env) : policy }),
      ...(options.snapshotEvery === undefined ? {} : { snapshotEvery: options.snapshotEvery }),
      ...(options.signalLimits === undefined ? {} : { signalLimits: options.signalLimits }),
      onError: options.onError ?? ((runId, error) => console.error(`runlog: run ${runId}:`, error)),
    });
    this.host.store.subscribe("*", () => this.#committed());
    this.#waker.arm();
  }

  /** Wakes the runs that are due, re-sends reports the index missed, and sets the next alarm. */
  override async alarm(): Promise<void> {
    for (const runId of this.#waker.due()) await this.host.wake(runId);
    await this.#reporter?.flush(this.now());
    this.#waker.rearm();
  }

  start(
    runId: string,
    workflow: string,
    input: Json,
    options: { version?: number; wait?: boolean } = {},
  ): Promise<RpcResult<Started>> {
    return toRpcResult(() => {
      this.#assertHolds(runId);
      return this.host.start(workflow, input, { ...options, runId });
    });
  }

  info(runId: string): Promise<RpcResult<RunInfo>> {
    return toRpcResult(() => this.host.get(runId));
  }

  events(
    runId: string,
    from?: number,
    limit?: number,
  ): Promise<RpcResult<{ events: SequencedEvent[]; head: number }>> {
    return toRpcResult(() => this.host.events(runId, from, limit));
  }

  timeline(runId: string): Promise<RpcResult<RunTimeline>> {
    return toRpcResult(() => this.host.timeline(runId));
  }

  resume(
    runId: string,
    value: Json,
    options: { interruptId?: string; wait?: boolean } = {},
  ): Promise<RpcResult<RunInfo>> {
    return toRpcResult(() => this.host.resume(runId, value, options));
  }

  signal(
    runId: string,
    name: string,
    value: Json,
    options: { signalId?: string; wait?: boolean } = {},
  ): Promise<RpcResult<RunInfo>> {
    return toRpcResult(() => this.host.signal(runId, name, value, options));
  }

  cancel(runId: string, reason?: string): Promise<RpcResult<RunInfo>> {
    return toRpcResult(() => this.host.cancel(runId, reason));
  }

  exportRun(runId: string): Promise<RpcResult<string>> {
    return toRpcResult(() => this.host.exportRun(runId));
  }

  importRun(text: string, runId: string): Promise<RpcResult<ExportedRun>> {
    return toRpcResult(() => {
      this.#assertHolds(runId);
      return this.host.importRun(text, { runId });
    });
  }

  verify(runId: string): Promise<RpcResult<VerifyReport>> {
    return toRpcResult(() => this.host.verify(runId));
  }

  forkFrom(
    runId: string,
    source: ForkSource,
    options: { alternate?: Event[]; wait?: boolean } = {},
  ): Promise<RpcResult<RunInfo>> {
    return toRpcResult(async () => {
      this.#assertHolds(runId);
      const store = this.host.store;
      // The source run lives in another object: its events came along; the copy lands here.
      const from = (id: string) => id === source.runId;
      const events: EventStore = {
        append: (id, batch, appendOptions) => store.append(id, batch, appendOptions),
        read: async (id, fromSeq = 1, limit = Number.POSITIVE_INFINITY) =>
          from(id)
            ? source.events.filter((se) => se.seq >= fromSeq).slice(0, limit)
            : store.read(id, fromSeq, limit),
        head: async (id) => (from(id) ? source.atSeq : store.head(id)),
      };
      await forkRun(events, source.runId, source.atSeq, runId, {
        clock: this.host.clock,
        ...(options.alternate ? { alternate: options.alternate } : {}),
      });
      const drive = this.host.wake(runId);
      if (options.wait) await drive;
      return this.host.get(runId);
    });
  }

  watch(
    runId: string,
    options: { from?: number; follow?: boolean } = {},
  ): Promise<RpcResult<ReadableStream<Uint8Array>>> {
    return toRpcResult(async () => {
      await this.host.get(runId);
      const stop = new AbortController();
      const events = this.host.watch(runId, { ...options, signal: stop.signal });
      return eventStream(events, () => stop.abort());
    });
  }

  summary(runId: string): Promise<RpcResult<{ summary: RunSummary; reportedHead: number } | null>> {
    return toRpcResult(async () => {
      const summary = await this.host.store.getRun(runId);
      if (summary === undefined) return null;
      return { summary, reportedHead: this.#reporter?.reportedHead(runId) ?? 0 };
    });
  }

  idle(runId: string): Promise<RpcResult<{ reported: boolean }>> {
    return toRpcResult(async () => {
      await this.host.idle(runId);
      return { reported: (await this.#reporter?.flush(this.now())) ?? true };
    });
  }

  /** The time this object's host runs on. */
  protected now(): number {
    return Date.now();
  }

  /**
   * Sends one summary to the run index.
   * @throws whatever the index answered as a failure, or a broken connection.
   */
  protected async sendReport(summary: RunSummary): Promise<void> {
    const index = this.#index();
    if (index === undefined) return;
    unwrapRpc(await index.report(summary));
  }

  #committed(): void {
    this.#waker.arm();
    if (this.#reporter === undefined) return;
    void this.#reporter.flush(this.now()).then(() => this.#waker.arm());
  }

  /** @throws ValidationError when this object already holds another run. */
  #assertHolds(runId: string): void {
    const other = this.ctx.storage.sql
      .exec<{ run_id: string }>(`SELECT run_id FROM runlog_runs WHERE run_id <> ? LIMIT 1`, runId)
      .toArray()[0];
    if (other !== undefined) {
      throw new ValidationError(
        `this Durable Object holds run ${other.run_id}; run ${runId} belongs in its own object (idFromName(runId))`,
      );
    }
  }
}

/** A `RunObject` class with its options bound: what wrangler.toml binds and the runtime constructs. */
export type RunObjectClass<Env> = new (ctx: DurableObjectState, env: Env) => RunObject<Env>;

/**
 * A `RunObject` class with its options bound, to export from the Worker's main module and bind in
 * wrangler.toml (`new_sqlite_classes`).
 *
 * ```ts
 * export const RunObject = createRunObject({ workflows: demoWorkflows, executor: demoExecutor() });
 * ```
 */
export function createRunObject<Env = unknown>(
  options: RunObjectOptions<Env>,
): RunObjectClass<Env> {
  return class extends RunObject<Env> {
    constructor(ctx: DurableObjectState, env: Env) {
      super(ctx, env, options);
    }
  };
}
