import { demoProvider, demoTools, demoWorkflows } from "../../src/demos/index.ts";
import {
  type ActionExecutor,
  AllowAllPolicy,
  createExecutor,
  Host,
  type HostOptions,
  type LlmProvider,
  type Policy,
  RetryWithBackoffPolicy,
  type Tool,
  ToolRegistry,
  timerWaker,
  type Waker,
  type WakerFactory,
  type Workflow,
} from "../../src/index.ts";
import { SqliteStore, type SqliteTuning } from "./sqlite-store.ts";

/** Options of `createNodeHost`: a database file (or an open store) plus what a `Host` takes. */
export type NodeHostOptions = Omit<HostOptions, "store" | "workflows"> &
  SqliteTuning & {
    /** The workflows to run. Default: none (plus the demos with `demos: true`). */
    // biome-ignore lint/suspicious/noExplicitAny: a host runs workflows of every input and state type.
    workflows?: Iterable<Workflow<any, any>>;
    /**
     * Also run the demo workflows of `runlog/demos`, with their tools and scripted provider in the
     * default executor. Default false.
     */
    demos?: boolean;
    /** The tools of the default executor (ignored when `executor` is given). */
    tools?: Iterable<Tool>;
    /** The LLM providers of the default executor (see `providersFromEnv`). */
    providers?: LlmProvider[];
    /**
     * Re-arm timers and re-drive running runs at once (`Host.recover`). Default true; a tool that
     * only reads, like the CLI's `list`, passes false so it never advances other runs.
     */
    recover?: boolean;
    /**
     * How often, in ms, the host looks for commits made by other connections to the file (the
     * CLI with `--db`, another server): their runs are reloaded, watchers and event streams get
     * their events, and (unless `recover: false`) their timers are re-armed here. Default 250;
     * 0 turns it off.
     */
    foreignPollMs?: number;
  } & ({ path: string; store?: never } | { store: SqliteStore; path?: never });

/** How often a Node host looks for other connections' commits by default, in ms. */
const DEFAULT_FOREIGN_POLL_MS = 250;
/** How many of another connection's new events a host hands to watchers at once. */
const ANNOUNCED_EVENTS = 1000;

/** How a `NodeHost` follows the commits of other connections to its file. */
export interface ForeignOptions {
  /** The poll interval in ms (see `NodeHostOptions.foreignPollMs`); 0 turns following off. */
  pollMs?: number;
  /**
   * Re-arm the timers of runs another connection moved. Default true; false for a host that
   * never advances runs it was not asked about (one created with `recover: false`).
   */
  rearm?: boolean;
}

/** How `NodeHost.close` ends. */
export interface CloseOptions {
  /** The longest wait for drives in progress before the database closes anyway. Default: no limit. */
  timeoutMs?: number;
}

/**
 * The default retry policy on Node: `transient` and `rateLimited` failures are tried up to three
 * more times after 1, 2 and 4 s (the first waited in the loop, the later ones durably).
 */
export function defaultNodePolicy(): Policy {
  return new RetryWithBackoffPolicy(new AllowAllPolicy(), 3, 1000);
}

/**
 * A `Host` on a `SqliteStore`: `setTimeout` timers as the waker, drives serialized per run in
 * the process and by `expectedHead` across processes. `close` waits for drives, then closes the
 * database the host opened.
 */
export class NodeHost extends Host {
  readonly sqlite: SqliteStore;
  readonly #ownsStore: boolean;
  #closing: Promise<boolean> | undefined;
  #waker: Waker | undefined;
  #poll: ReturnType<typeof setInterval> | undefined;
  readonly #rearmForeign: boolean;

  constructor(
    options: HostOptions,
    sqlite: SqliteStore,
    ownsStore: boolean,
    foreign: ForeignOptions = {},
  ) {
    const factory: WakerFactory = options.waker ?? timerWaker;
    let waker: Waker | undefined;
    super({
      ...options,
      waker: (wake, clock) => {
        waker = factory(wake, clock);
        return waker;
      },
    });
    this.#waker = waker;
    this.sqlite = sqlite;
    this.#ownsStore = ownsStore;
    this.#rearmForeign = foreign.rearm ?? true;
    const foreignPollMs = foreign.pollMs ?? DEFAULT_FOREIGN_POLL_MS;
    if (Number.isFinite(foreignPollMs) && foreignPollMs > 0) {
      sqlite.foreignCommits();
      this.#poll = setInterval(() => this.#followForeignCommits(), foreignPollMs);
      this.#poll.unref?.();
    }
  }

  /**
   * Another connection appended to these runs: drop this host's copies (the next call restores
   * them from the file), hand the new events to watchers, and follow each run's timer.
   */
  #followForeignCommits(): void {
    let moved: Map<string, number>;
    try {
      moved = this.sqlite.foreignCommits();
    } catch {
      return; // A store that fails now is tried again at the next poll.
    }
    for (const [runId, fromSeq] of moved) {
      this.forget(runId);
      void this.#announce(runId, fromSeq).catch(() => undefined);
    }
  }

  async #announce(runId: string, fromSeq: number): Promise<void> {
    const events = await this.store.read(runId, fromSeq, ANNOUNCED_EVENTS);
    if (events.length === ANNOUNCED_EVENTS) {
      // A long tail: its last event is enough for a watcher to read the gap from the store.
      events.push(...(await this.store.read(runId, await this.store.head(runId), 1)));
    }
    if (events.length > 0) this.store.publish(runId, events);
    const summary = await this.store.getRun(runId);
    if (this.#closing || !this.#waker || !this.#rearmForeign) return;
    if (summary?.wakeAt !== undefined) this.#waker.schedule(runId, summary.wakeAt);
    else this.#waker.cancel(runId);
  }

  /**
   * Stops timers, waits for drives in progress (at most `timeoutMs`), then closes the database
   * when the host opened it. Idempotent.
   */
  override async close(options: CloseOptions = {}): Promise<void> {
    await this.closeWithin(options.timeoutMs);
  }

  /** As `close`, resolving true when every drive finished within `timeoutMs`. */
  closeWithin(timeoutMs?: number): Promise<boolean> {
    this.#closing ??= this.#close(timeoutMs);
    return this.#closing;
  }

  async #close(timeoutMs: number | undefined): Promise<boolean> {
    clearInterval(this.#poll);
    const drained = super.close().then(() => true);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit =
      timeoutMs === undefined
        ? drained
        : Promise.race([
            drained,
            new Promise<boolean>((resolve) => {
              timer = setTimeout(() => resolve(false), timeoutMs);
            }),
          ]);
    const finished = await limit;
    clearTimeout(timer);
    // A drive cut off here loses no committed event: its action, requested durably, runs again
    // with the same actionId after the next start.
    if (this.#ownsStore) this.sqlite.close();
    return finished;
  }
}

/**
 * Creates a host on a SQLite file (created on first use) and, unless `recover: false`, wakes what
 * a previous process left: sleeping and backing-off runs at their time, running ones at once.
 * It runs `workflows` (and the demos only with `demos: true`); default executor: `tools` and
 * `providers` (plus the demo tools and scripted provider with `demos: true`); default policy:
 * `defaultNodePolicy()`.
 * @throws KernelError `store` when the database cannot be opened.
 *
 * ```ts
 * const host = await createNodeHost({ path: "./.runlog/runlog.db", workflows: [hello] });
 * await host.start("hello", { name: "Ada" });
 * ```
 */
export async function createNodeHost(options: NodeHostOptions): Promise<NodeHost> {
  const {
    path,
    store,
    tools,
    providers,
    recover,
    workflows,
    demos,
    durability,
    busyTimeoutMs,
    foreignPollMs,
    ...rest
  } = options;
  const tuning: SqliteTuning = {
    ...(durability === undefined ? {} : { durability }),
    ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }),
  };
  const sqlite = store ?? SqliteStore.open(path, tuning);
  try {
    const host = new NodeHost(
      {
        ...rest,
        store: sqlite,
        workflows: demos === true ? [...demoWorkflows, ...(workflows ?? [])] : (workflows ?? []),
        executor: rest.executor ?? nodeExecutor(tools, providers, demos === true),
        policy: rest.policy ?? defaultNodePolicy(),
      },
      sqlite,
      store === undefined,
      {
        ...(foreignPollMs === undefined ? {} : { pollMs: foreignPollMs }),
        rearm: recover !== false,
      },
    );
    if (recover !== false) await host.recover();
    return host;
  } catch (error) {
    if (store === undefined) sqlite.close();
    throw error;
  }
}

function nodeExecutor(
  tools: Iterable<Tool> | undefined,
  providers: LlmProvider[] | undefined,
  demos: boolean,
): ActionExecutor {
  const registry = new ToolRegistry(demos ? demoTools().list() : []);
  for (const tool of tools ?? []) registry.register(tool);
  return createExecutor({
    tools: registry,
    providers: [...(demos ? [demoProvider()] : []), ...(providers ?? [])],
  });
}
