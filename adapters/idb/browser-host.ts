import {
  ConcurrencyError,
  createExecutor,
  createHost,
  ErrorCode,
  type Event,
  type ExportedRun,
  type Host,
  type HostOptions,
  type Json,
  type LlmProvider,
  type RunHost,
  type RunInfo,
  type RunPage,
  type RunQuery,
  type RunTimeline,
  type SequencedEvent,
  type Started,
  type StartOptions,
  type Tool,
  ToolRegistry,
  timerWaker,
  type VerifyReport,
  type Waker,
  type WakerFactory,
  type WatchOptions,
  type WorkflowInfo,
} from "../../src/index.ts";
import { type CommitListener, ObservedStore, recoverRuns } from "../../src/store-kit/index.ts";
import { type IdbDurability, IdbStore } from "./idb-store.ts";
import { defaultLockManager, type RunLockManager, runLockName } from "./run-lock.ts";
import { type CommitMessage, openTabChannel, type TabChannel } from "./tab-channel.ts";

/** What `createBrowserHost` takes: a database name (or an open store) plus what a `Host` takes. */
export type BrowserHostOptions = Omit<HostOptions, "store"> & {
  /** The tools `ctx.tool(...)` may call: the executor is built from them. Ignored with `executor`. */
  tools?: ToolRegistry | Iterable<Tool>;
  /** The LLM providers `ctx.llm(...)` may name. Ignored with `executor`. */
  providers?: Iterable<LlmProvider>;
  /** The IndexedDB database, which also names the tabs' channel. Default `runlog`. */
  name?: string;
  /** An open store to use instead (the host then leaves it open on `close`). */
  store?: IdbStore;
  indexedDB?: IDBFactory;
  durability?: IdbDurability;
  /** Default `navigator.locks`; a lock of this page only where there is none. */
  locks?: RunLockManager;
  /** Tell other tabs of each commit and hear theirs (BroadcastChannel). Default true. */
  broadcast?: boolean;
  /** Re-arm timers and re-drive running runs at once (`recover`). Default true. */
  recover?: boolean;
};

// Under the run's lock a stale head is rare (a tab that died mid-commit, no Web Locks): reload
// and try again, a few times, before it may surface.
// Without Web Locks (or across browsers that do not share them) tabs race on the optimistic
// check alone; a loser reloads and tries again after a short random pause, so two tabs that keep
// colliding drift apart.
const CONFLICT_RETRIES = 12;

declare const crypto: { randomUUID(): string };

/**
 * A `Host` on IndexedDB for a page, one of several tabs: every drive, resume, signal, cancel,
 * fork and import takes the run's Web Lock (`runlog:run:<id>`) and holds it until the drive it
 * started has stopped, so one tab at a time advances a run; `expectedHead` stays the last line,
 * and a `ConcurrencyError` is answered by reloading the run and retrying, never passed on. Each
 * commit is posted to the other tabs, which announce it to their watchers and drop their copy.
 */
export class BrowserHost implements RunHost {
  readonly inner: Host;
  readonly store: ObservedStore;
  readonly idb: IdbStore;
  readonly #ownsStore: boolean;
  readonly #locks: RunLockManager;
  readonly #channel: TabChannel | undefined;
  readonly #newRunId: () => string;
  #waker: Waker | undefined;
  #relaying = false;
  #closed = false;

  constructor(idb: IdbStore, options: BrowserHostOptions, ownsStore = false) {
    const { name, store: _store, indexedDB: _idb, durability: _d, locks, ...rest } = options;
    const { broadcast, recover: _recover, waker, onError, tools, providers, ...hostOptions } = rest;
    this.idb = idb;
    this.#ownsStore = ownsStore;
    this.#locks = locks ?? defaultLockManager();
    this.#newRunId = options.newRunId ?? (() => crypto.randomUUID());
    this.store = new ObservedStore(idb);
    const factory: WakerFactory = waker ?? timerWaker;
    const executor = hostOptions.executor ?? executorOf(tools, providers);
    this.inner = createHost({
      ...hostOptions,
      ...(executor === undefined ? {} : { executor }),
      store: this.store,
      // The host's own wake-ups (timers, backoffs, retries after a failed drive) take the lock too.
      waker: (_wake, clock) => {
        this.#waker = factory((runId) => void this.wake(runId).catch(() => undefined), clock);
        return this.#waker;
      },
      onError: (runId, error) => {
        if (!ConcurrencyError.is(error)) onError?.(runId, error);
      },
    });
    this.#channel =
      broadcast === false
        ? undefined
        : openTabChannel(name ?? "runlog", (message) => this.#received(message));
    this.store.subscribe("*", (runId, events) => {
      if (!this.#relaying) this.#channel?.post({ runId, events: [...events] });
    });
  }

  workflows(): WorkflowInfo[] {
    return this.inner.workflows();
  }

  /** Starts a run (see `Host.start`); its first drive holds the run's lock. */
  start(workflow: string, input: unknown, options: StartOptions = {}): Promise<Started> {
    const runId = options.runId ?? this.#newRunId();
    return this.#locked(runId, () => this.inner.start(workflow, input, { ...options, runId }));
  }

  async get(runId: string): Promise<RunInfo> {
    const info = await this.inner.get(runId);
    // A conflict the host is already retrying is not the user's business.
    if (info.error?.code === ErrorCode.Concurrency) delete info.error;
    return info;
  }

  list(query?: RunQuery): Promise<RunPage> {
    return this.inner.list(query);
  }

  events(runId: string, from?: number, limit?: number) {
    return this.inner.events(runId, from, limit);
  }

  timeline(runId: string): Promise<RunTimeline> {
    return this.inner.timeline(runId);
  }

  /** @throws NotBlockedError when the run is not waiting on that interrupt. */
  resume(
    runId: string,
    value: Json,
    options: { interruptId?: string; wait?: boolean } = {},
  ): Promise<RunInfo> {
    return this.#locked(runId, () => this.inner.resume(runId, value, options));
  }

  signal(
    runId: string,
    name: string,
    value: Json,
    options: { signalId?: string; wait?: boolean } = {},
  ): Promise<RunInfo> {
    // One id across retries, so a retried signal is still recorded once.
    const signalId = options.signalId ?? crypto.randomUUID();
    return this.#locked(runId, () =>
      this.inner.signal(runId, name, value, { ...options, signalId }),
    );
  }

  /** @throws KernelError `conflict` when the run has already ended. */
  cancel(runId: string, reason?: string): Promise<RunInfo> {
    // A drive of this tab holds the lock while a call is in flight: abort it first, so the lock
    // comes free at once. (A drive in another tab finishes its call before this one gets the lock.)
    this.inner.requestCancel(runId, reason);
    return this.#locked(runId, () => this.inner.cancel(runId, reason));
  }

  /** New events of the run as this tab or any other commits them. */
  watch(runId: string, options?: WatchOptions): AsyncGenerator<SequencedEvent> {
    return this.inner.watch(runId, options);
  }

  fork(
    runId: string,
    atSeq: number,
    options: { newRunId?: string; alternate?: Event[]; wait?: boolean } = {},
  ): Promise<RunInfo> {
    const newRunId = options.newRunId ?? this.#newRunId();
    return this.#locked(newRunId, () => this.inner.fork(runId, atSeq, { ...options, newRunId }));
  }

  exportRun(runId: string): Promise<string> {
    return this.inner.exportRun(runId);
  }

  /** Imports an NDJSON export (see `Host.importRun`); its first drive holds the run's lock. */
  importRun(text: string, options: { runId?: string } = {}): Promise<ExportedRun> {
    const runId = options.runId ?? exportedRunId(text);
    // An unreadable export fails its checks before anything is written or driven.
    if (runId === undefined) return this.inner.importRun(text, options);
    return this.#locked(runId, () => this.inner.importRun(text, { ...options, runId }));
  }

  verify(runId: string): Promise<VerifyReport> {
    return this.inner.verify(runId);
  }

  /** Drives the run under its lock: what timers call, and what a tab calls to take over a run. */
  wake(runId: string): Promise<unknown> {
    if (this.#closed) return Promise.resolve(undefined);
    return this.#locked(runId, () => this.inner.wake(runId));
  }

  /** Hears every commit of every run, this tab's and the others'; returns the way to stop. */
  onCommit(listener: CommitListener): () => void {
    return this.store.subscribe("*", listener);
  }

  /**
   * On page load: re-arms the timers of sleeping and backing-off runs (due ones fire at once) and
   * drives runs that were running when their tab closed, each under its lock.
   */
  async recover(): Promise<{ woken: number; rearmed: number }> {
    return recoverRuns(this.store, {
      schedule: (runId, at) => this.#waker?.schedule(runId, at),
      drive: (runId) => void this.wake(runId).catch(() => undefined),
    });
  }

  /** Stops timers and the channel, waits for drives in progress, closes a store it opened. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel?.close();
    await this.inner.close();
    if (this.#ownsStore) this.idb.close();
  }

  /**
   * Runs `work` under the run's lock and answers with its result, but keeps the lock until the
   * drive `work` started has stopped. A stale head is answered by reloading and retrying.
   */
  #locked<T>(runId: string, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#locks
        .request(runLockName(runId), async () => {
          for (let attempt = 0; ; attempt++) {
            try {
              resolve(await work());
              break;
            } catch (error) {
              if (!ConcurrencyError.is(error) || attempt >= CONFLICT_RETRIES) {
                reject(error);
                return;
              }
              this.inner.forget(runId);
              await pause(Math.random() * 4 * (attempt + 1));
            }
          }
          await this.inner.idle(runId);
        })
        .catch(reject);
    });
  }

  /** Another tab committed: tell this tab's watchers, drop its copy, follow its timer. */
  #received({ runId, events }: CommitMessage): void {
    if (this.#closed) return;
    this.inner.forget(runId);
    this.#relaying = true;
    try {
      this.store.publish(runId, events);
    } finally {
      this.#relaying = false;
    }
    // Every tab keeps the timer, so a run sleeping in a tab that closes still wakes in another.
    void this.store.getRun(runId).then(
      (summary) => {
        if (this.#closed || !this.#waker) return;
        if (summary?.wakeAt !== undefined) this.#waker.schedule(runId, summary.wakeAt);
        else this.#waker.cancel(runId);
      },
      () => undefined,
    );
  }
}

/** The executor of `tools` and `providers`, or undefined (the host's default) when both are absent. */
function executorOf(
  tools: ToolRegistry | Iterable<Tool> | undefined,
  providers: Iterable<LlmProvider> | undefined,
) {
  if (tools === undefined && providers === undefined) return undefined;
  return createExecutor({
    tools: tools instanceof ToolRegistry ? tools : new ToolRegistry([...(tools ?? [])]),
    providers: [...(providers ?? [])],
  });
}

/** The run id in an export's header line, if it has one. */
function exportedRunId(text: string): string | undefined {
  if (typeof text !== "string") return undefined;
  const end = text.indexOf("\n");
  try {
    const header = JSON.parse(end === -1 ? text : text.slice(0, end)) as { runId?: unknown };
    return typeof header?.runId === "string" && header.runId.length > 0 ? header.runId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens (or takes) the IndexedDB store and makes a browser host on it; unless `recover: false`,
 * re-arms its timers and re-drives its running runs. Touches `indexedDB`, `navigator.locks` and
 * `BroadcastChannel` only when called. The executor is built from `tools` and `providers`.
 * @throws KernelError `store` when IndexedDB is not available or cannot be opened.
 *
 * ```ts
 * const host = await createBrowserHost({ workflows: [approval], tools: [sendEmail] });
 * ```
 */
export async function createBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const owns = options.store === undefined;
  const idb =
    options.store ??
    (await IdbStore.open({
      ...(options.name === undefined ? {} : { name: options.name }),
      ...(options.indexedDB === undefined ? {} : { indexedDB: options.indexedDB }),
      ...(options.durability === undefined ? {} : { durability: options.durability }),
    }));
  const host = new BrowserHost(idb, options, owns);
  if (options.recover !== false) await host.recover();
  return host;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
