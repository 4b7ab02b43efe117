import { demoProvider, demoTools, demoWorkflows } from "../../src/demos/index.ts";
import {
  type ActionExecutor,
  AllowAllPolicy,
  createExecutor,
  createHost,
  type Host,
  type HostOptions,
  type LlmProvider,
  type Policy,
  RetryWithBackoffPolicy,
  type Tool,
  ToolRegistry,
  type Workflow,
} from "../../src/index.ts";
import { sqliteFeed } from "./sqlite-feed.ts";
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

/** How `NodeHost.close` ends. */
export type { CloseOptions } from "../../src/index.ts";

/**
 * The default retry policy on Node: `transient` and `rateLimited` failures are tried up to three
 * more times after 1, 2 and 4 s (the first waited in the loop, the later ones durably).
 */
export function defaultNodePolicy(): Policy {
  return new RetryWithBackoffPolicy(new AllowAllPolicy(), 3, 1000);
}

/**
 * A `Host` on a `SqliteStore`: `setTimeout` timers as the waker, drives serialized per run in
 * the process (its mailbox) and by `expectedHead` across processes, other connections' commits
 * followed through a `data_version` poll. `close` waits for drives, then closes the database the
 * host opened.
 */
export type NodeHost = Host & { readonly sqlite: SqliteStore };

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
    const pollMs = foreignPollMs ?? DEFAULT_FOREIGN_POLL_MS;
    const follow = Number.isFinite(pollMs) && pollMs > 0;
    const host = createHost({
      ...rest,
      store: sqlite,
      workflows: demos === true ? [...demoWorkflows, ...(workflows ?? [])] : (workflows ?? []),
      executor: rest.executor ?? nodeExecutor(tools, providers, demos === true),
      policy: rest.policy ?? defaultNodePolicy(),
      ...(follow ? { feed: sqliteFeed(sqlite, pollMs) } : {}),
      followFeedTimers: recover !== false,
      onClose: async () => {
        await rest.onClose?.();
        if (store === undefined) sqlite.close();
      },
    });
    const nodeHost: NodeHost = Object.assign(host, { sqlite });
    if (recover !== false) await nodeHost.recover();
    return nodeHost;
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
