import {
  createExecutor,
  createHost,
  type Host,
  type HostOptions,
  type LlmProvider,
  type Tool,
  ToolRegistry,
} from "../../src/index.ts";
import { type IdbDurability, IdbStore } from "./idb-store.ts";
import { type RunLockManager, webRunLock } from "./run-lock.ts";
import { tabFeed } from "./tab-channel.ts";

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

// Without Web Locks (or across browsers that do not share them) tabs race on the optimistic
// check alone; a loser reloads and tries again after a short random pause, so two tabs that keep
// colliding drift apart.
const CONFLICT_RETRIES = 12;

/**
 * A `Host` on IndexedDB for a page, one of several tabs: each batch of a run's commands (and the
 * drive it starts) holds the run's Web Lock (`runlog:run:<id>`), so one tab at a time advances a
 * run; `expectedHead` stays the last line, and a `ConcurrencyError` is answered by reloading the
 * run and trying again, never passed on. Each commit is posted to the other tabs, which announce
 * it to their watchers, drop their copy and follow the run's timer.
 */
export type BrowserHost = Host & { readonly idb: IdbStore };

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
  const {
    name,
    store,
    indexedDB,
    durability,
    locks,
    broadcast,
    recover,
    tools,
    providers,
    ...rest
  } = options;
  const idb =
    store ??
    (await IdbStore.open({
      ...(name === undefined ? {} : { name }),
      ...(indexedDB === undefined ? {} : { indexedDB }),
      ...(durability === undefined ? {} : { durability }),
    }));
  const executor = rest.executor ?? executorOf(tools, providers);
  const feed = broadcast === false ? undefined : tabFeed(name ?? "runlog");
  const host = createHost({
    conflictRetries: CONFLICT_RETRIES,
    ...rest,
    ...(executor === undefined ? {} : { executor }),
    ...(feed === undefined ? {} : { feed }),
    store: idb,
    lock: webRunLock(locks),
    onClose: async () => {
      await rest.onClose?.();
      if (store === undefined) idb.close();
    },
  });
  const browserHost: BrowserHost = Object.assign(host, { idb });
  if (recover !== false) await browserHost.recover();
  return browserHost;
}
