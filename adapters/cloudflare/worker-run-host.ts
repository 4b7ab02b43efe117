import {
  type Event,
  type ExportedRun,
  type IdSource,
  type Json,
  parseExport,
  type RunHost,
  type RunInfo,
  RunNotFoundError,
  type RunPage,
  type RunQuery,
  type RunTimeline,
  type SequencedEvent,
  type Started,
  type StartOptions,
  systemIds,
  ValidationError,
  type VerifyReport,
  type WatchOptions,
  type Workflow,
  type WorkflowInfo,
  WorkflowRegistry,
} from "../../src/index.ts";
import { assertRunId, isRunId } from "../../src/store-kit/index.ts";
import { readEventStream } from "./event-stream.ts";
import { unwrapRpc } from "./rpc-result.ts";
import { runIndexOf } from "./run-index-object.ts";
import { type RunObjectRpc, runObjectOf } from "./run-object-rpc.ts";

/** What the Worker's host forwards to. */
export interface WorkerRunHostOptions {
  /** The namespace bound to the `RunObject` class (e.g. `env.RUN_OBJECT`). */
  runs: DurableObjectNamespace;
  /** The namespace bound to `RunIndexObject` (e.g. `env.RUN_INDEX`). */
  index: DurableObjectNamespace;
  /** The workflows the run objects run: listed here, and checked before a run object is made. */
  // biome-ignore lint/suspicious/noExplicitAny: a host runs workflows of every input and state type.
  workflows: WorkflowRegistry | Iterable<Workflow<any, any>>;
  /** Ids of runs and forks made without one. Default: `systemIds` (`crypto.randomUUID()`). */
  ids?: IdSource;
  /** Makes ids for runs started without one. Prefer `ids`. */
  newRunId?: () => string;
}

/**
 * The `RunHost` of a Worker: each call about a run goes over RPC to that run's Durable Object
 * (`idFromName(runId)`), `list` to the run index object. Errors come back as data and are thrown
 * here as the core's classes, so the HTTP API maps them as it does for a local host. Stubs are
 * made per call: a stub belongs to the request that made it.
 */
export class WorkerRunHost implements RunHost {
  readonly #runs: DurableObjectNamespace;
  readonly #index: DurableObjectNamespace;
  readonly #registry: WorkflowRegistry;
  readonly #newRunId: () => string;

  constructor(options: WorkerRunHostOptions) {
    this.#runs = options.runs;
    this.#index = options.index;
    this.#registry =
      options.workflows instanceof WorkflowRegistry
        ? options.workflows
        : new WorkflowRegistry(options.workflows);
    const ids = options.ids ?? (options.newRunId ? { newId: options.newRunId } : systemIds);
    this.#newRunId = () => ids.newId();
  }

  workflows(): WorkflowInfo[] {
    return this.#registry.list().map((w) => ({
      name: w.name,
      version: w.version,
      versions: this.#registry.versions(w.name),
      ...(w.description ? { description: w.description } : {}),
    }));
  }

  /** @throws ValidationError for an unknown workflow or a bad run id, before any object is made. */
  async start(workflow: string, input: unknown, options: StartOptions = {}): Promise<Started> {
    const found = this.#registry.get(workflow, options.version);
    if (found === undefined) {
      const known = this.#registry.list().map((w) => w.name);
      const what = options.version === undefined ? workflow : `${workflow} v${options.version}`;
      throw new ValidationError(
        `unknown workflow ${what}; this host has: ${known.join(", ") || "none"}`,
      );
    }
    const runId = options.runId ?? this.#newRunId();
    assertRunId(runId);
    const { version, wait } = options;
    const rest = {
      ...(version === undefined ? {} : { version }),
      ...(wait === undefined ? {} : { wait }),
    };
    // No input means what it means on every host: {} for a workflow that declares its input.
    const given = input === undefined ? (found.input ? {} : null) : input;
    return unwrapRpc(await this.#run(runId).start(runId, workflow, given as Json, rest));
  }

  async get(runId: string): Promise<RunInfo> {
    return unwrapRpc(await this.#run(runId).info(runId));
  }

  async list(query: RunQuery = {}): Promise<RunPage> {
    return unwrapRpc(await runIndexOf(this.#index).list(query));
  }

  async events(
    runId: string,
    from?: number,
    limit?: number,
  ): Promise<{ events: SequencedEvent[]; head: number }> {
    return unwrapRpc(await this.#run(runId).events(runId, from, limit));
  }

  async timeline(runId: string): Promise<RunTimeline> {
    return unwrapRpc(await this.#run(runId).timeline(runId));
  }

  async resume(
    runId: string,
    value: Json,
    options: { interruptId?: string; wait?: boolean } = {},
  ): Promise<RunInfo> {
    return unwrapRpc(await this.#run(runId).resume(runId, value, options));
  }

  async signal(
    runId: string,
    name: string,
    value: Json,
    options: { signalId?: string; wait?: boolean } = {},
  ): Promise<RunInfo> {
    return unwrapRpc(await this.#run(runId).signal(runId, name, value, options));
  }

  async cancel(runId: string, reason?: string): Promise<RunInfo> {
    return unwrapRpc(await this.#run(runId).cancel(runId, reason));
  }

  /** The run's events as the object streams them over RPC; `signal` cancels the stream. */
  async *watch(runId: string, options: WatchOptions = {}): AsyncGenerator<SequencedEvent> {
    const { from, follow, signal } = options;
    const rest = {
      ...(from === undefined ? {} : { from }),
      ...(follow === undefined ? {} : { follow }),
    };
    const stream = unwrapRpc(await this.#run(runId).watch(runId, rest));
    yield* readEventStream(stream, signal);
  }

  /** Copies the source's events up to `atSeq` into the new run's own object, which continues it. */
  async fork(
    runId: string,
    atSeq: number,
    options: { newRunId?: string; alternate?: Event[]; wait?: boolean } = {},
  ): Promise<RunInfo> {
    const newRunId = options.newRunId ?? this.#newRunId();
    assertRunId(newRunId);
    if (!Number.isSafeInteger(atSeq) || atSeq < 1) {
      throw new ValidationError(`run ${runId}: cannot fork at seq ${String(atSeq)}`);
    }
    const { events, head } = await this.events(runId, 1, atSeq);
    if (atSeq > head) {
      throw new ValidationError(
        `run ${runId}: cannot fork at seq ${atSeq}; its log holds seqs 1 to ${head}`,
      );
    }
    const { alternate, wait } = options;
    const rest = {
      ...(alternate === undefined ? {} : { alternate }),
      ...(wait === undefined ? {} : { wait }),
    };
    const source = { runId, atSeq, events };
    return unwrapRpc(await this.#run(newRunId).forkFrom(newRunId, source, rest));
  }

  async exportRun(runId: string): Promise<string> {
    return unwrapRpc(await this.#run(runId).exportRun(runId));
  }

  /** Imports into the object of `runId`, else of the run id the export names. */
  async importRun(text: string, options: { runId?: string } = {}): Promise<ExportedRun> {
    const runId = options.runId ?? (await parseExport(text)).header.runId;
    assertRunId(runId);
    return unwrapRpc(await this.#run(runId).importRun(text, runId));
  }

  async verify(runId: string): Promise<VerifyReport> {
    return unwrapRpc(await this.#run(runId).verify(runId));
  }

  /** @throws RunNotFoundError for a malformed run id (no run has one), before an object is made. */
  #run(runId: string): RunObjectRpc {
    if (!isRunId(runId)) throw new RunNotFoundError(String(runId).slice(0, 140));
    return runObjectOf(this.#runs, runId);
  }
}

/** Creates the Worker's host. */
export function createWorkerRunHost(options: WorkerRunHostOptions): WorkerRunHost {
  return new WorkerRunHost(options);
}
