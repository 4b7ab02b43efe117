import {
  type ActionExecutor,
  createExecutor,
  type LlmProvider,
  type Policy,
  type Tool,
  ToolRegistry,
  type Workflow,
  WorkflowRegistry,
} from "../../src/index.ts";
import {
  type AuthOptions,
  type CorsOptions,
  createRunApi,
  type LimitOptions,
} from "../http/index.ts";
import { RunIndexObject, runIndexOf } from "./run-index-object.ts";
import { createRunObject, type RunObjectClass } from "./run-object.ts";
import { createWorkerRunHost } from "./worker-run-host.ts";

/** A setting given as it is, or made from the Worker's `env` (once per isolate and env). */
export type FromEnv<T, Env> = T | ((env: Env) => T);

/** What `createRunlogWorker` takes: the workflows and what they call, plus how the API is served. */
export interface RunlogWorkerOptions<Env> {
  /** The workflows the run objects run and the API offers. */
  // biome-ignore lint/suspicious/noExplicitAny: a Worker runs workflows of every input and state type.
  workflows: WorkflowRegistry | Iterable<Workflow<any, any>>;
  /** The tools `ctx.tool(...)` may call. Ignored when `executor` is given. */
  tools?: FromEnv<ToolRegistry | Iterable<Tool>, Env>;
  /** The LLM providers `ctx.llm(...)` may name. Ignored when `executor` is given. */
  providers?: FromEnv<Iterable<LlmProvider>, Env>;
  /** Runs tools and LLM calls instead of the executor built from `tools` and `providers`. */
  executor?: FromEnv<ActionExecutor, Env>;
  policy?: FromEnv<Policy, Env>;
  /** Bearer auth of the API. Default: `{ token: env.RUNLOG_TOKEN }` when that secret is set. */
  auth?: FromEnv<AuthOptions | undefined, Env>;
  /** The names of the two Durable Object bindings. Default `RUN_OBJECT` and `RUN_INDEX`. */
  bindings?: { runs?: string; index?: string };
  cors?: CorsOptions;
  limits?: LimitOptions;
  snapshotEvery?: number;
  /** How long a run may stay `running` without a commit before its alarm re-drives it. */
  watchdogMs?: number;
  /** Hears errors: drives that failed (with their run id) and requests answered 500. */
  onError?: (error: unknown, where: { runId?: string; request?: Request }) => void;
}

/** What a Worker's main module exports: the handler (default) and the two Durable Object classes. */
export interface RunlogWorker<Env> {
  /** Serves the HTTP API: `/runs/:id` in that run's object, `GET /runs` from the index. */
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response>;
  /** One SQLite-backed object per run: bind it as `RUN_OBJECT`. */
  RunObject: RunObjectClass<Env>;
  /** The one run index behind `GET /runs`: bind it as `RUN_INDEX`. */
  RunIndexObject: typeof RunIndexObject;
}

type Api = ReturnType<typeof createRunApi>;

const resolve = <T, Env>(value: FromEnv<T, Env>, env: Env): T =>
  typeof value === "function" ? (value as (env: Env) => T)(env) : value;

/**
 * Everything a Worker needs to serve runlog: the `fetch` handler of the HTTP API and the Durable
 * Object classes it routes to, with the workflows, tools and providers bound. Export the classes
 * by the names wrangler.toml binds and the result as the default export.
 * @throws ValidationError (on the first request) when a binding named in `bindings` is missing.
 *
 * ```ts
 * const runlog = createRunlogWorker({ workflows: [approval], tools: [sendEmail] });
 * export const { RunObject, RunIndexObject } = runlog;
 * export default runlog;
 * ```
 */
export function createRunlogWorker<Env = unknown>(
  options: RunlogWorkerOptions<Env>,
): RunlogWorker<Env> {
  const workflows =
    options.workflows instanceof WorkflowRegistry
      ? options.workflows
      : new WorkflowRegistry(options.workflows);
  const runsName = options.bindings?.runs ?? "RUN_OBJECT";
  const indexName = options.bindings?.index ?? "RUN_INDEX";
  const binding = (env: Env, name: string): DurableObjectNamespace => {
    const namespace = (env as Record<string, unknown> | undefined)?.[name];
    if (namespace === undefined || namespace === null) {
      throw new Error(
        `runlog: the Durable Object binding ${name} is missing; bind it in wrangler.toml (see the runlog README)`,
      );
    }
    return namespace as DurableObjectNamespace;
  };
  const onError = options.onError;

  const RunObject = createRunObject<Env>({
    workflows,
    executor: (env) =>
      options.executor === undefined
        ? createExecutor({
            tools: toolRegistry(resolve(options.tools ?? [], env)),
            providers: [...resolve(options.providers ?? [], env)],
          })
        : resolve(options.executor, env),
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    index: (env) => runIndexOf(binding(env, indexName)),
    ...(options.snapshotEvery === undefined ? {} : { snapshotEvery: options.snapshotEvery }),
    ...(options.watchdogMs === undefined ? {} : { watchdogMs: options.watchdogMs }),
    ...(onError === undefined ? {} : { onError: (runId, error) => onError(error, { runId }) }),
  });

  // One app per env: the bindings and the secrets do not change while an isolate lives.
  const apps = new WeakMap<object, Api>();
  const apiFor = (env: Env): Api => {
    let app = apps.get(env as object);
    if (app === undefined) {
      const host = createWorkerRunHost({
        runs: binding(env, runsName),
        index: binding(env, indexName),
        workflows,
      });
      const auth =
        options.auth === undefined
          ? defaultAuth(env)
          : resolve<AuthOptions | undefined, Env>(options.auth, env);
      app = createRunApi({
        host,
        ...(auth === undefined ? {} : { auth }),
        ...(options.cors === undefined ? {} : { cors: options.cors }),
        ...(options.limits === undefined ? {} : { limits: options.limits }),
        // A Worker is served on real host names, so the loopback-only Host check (the Node
        // server's guard against DNS rebinding) does not apply: RUNLOG_TOKEN guards a Worker.
        allowedHosts: ["*"],
        // The path only: a query value may be a secret, and logs are kept.
        onError: (error, request) =>
          onError === undefined
            ? console.error(`runlog: ${request.method} ${new URL(request.url).pathname}`, error)
            : onError(error, { request }),
      });
      apps.set(env as object, app);
    }
    return app;
  };

  return {
    fetch: async (request, env, ctx) => {
      let api: Api;
      try {
        api = apiFor(env);
      } catch (error) {
        // A Worker deployed without its bindings: say which, instead of an opaque 1101 page.
        const message = error instanceof Error ? error.message : String(error);
        return Response.json({ error: { code: "internal", message } }, { status: 500 });
      }
      return api.fetch(request, env, ctx);
    },
    RunObject,
    RunIndexObject,
  };
}

/** `{ token: env.RUNLOG_TOKEN }` when the secret is set and not empty. */
function defaultAuth(env: unknown): AuthOptions | undefined {
  const token = (env as { RUNLOG_TOKEN?: unknown } | undefined)?.RUNLOG_TOKEN;
  return typeof token === "string" && token.length > 0 ? { token } : undefined;
}

function toolRegistry(tools: ToolRegistry | Iterable<Tool>): ToolRegistry {
  return tools instanceof ToolRegistry ? tools : new ToolRegistry([...tools]);
}
