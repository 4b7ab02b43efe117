/**
 * The Worker: runlog's HTTP API at the edge. Each run lives in its own Durable Object
 * (`RunObject`, the demo workflows and tools), `GET /runs` is answered by the one `RunIndexObject`,
 * and the API (adapters/http) is served over a `WorkerRunHost` that forwards every call about a
 * run to that run's object. `RUNLOG_TOKEN` (a secret) turns bearer auth on; `/health` stays open.
 */
import {
  createRunObject,
  createWorkerRunHost,
  RunIndexObject,
} from "../../adapters/cloudflare/index.ts";
import { createRunApi } from "../../adapters/http/index.ts";
import { demoExecutor, demoWorkflows } from "../../src/index.ts";

export { StoreTestObject } from "./store-test-object.ts";
export { TestRunObject } from "./test-run-object.ts";
export { RunIndexObject };

/** A run's Durable Object: the demo workflows, their tools and the scripted LLM provider. */
export const RunObject = createRunObject<Cloudflare.Env>({
  workflows: demoWorkflows,
  executor: () => demoExecutor(),
});

type Api = ReturnType<typeof createRunApi>;

// One app per env: the bindings and the secret do not change while an isolate lives.
const apps = new WeakMap<Cloudflare.Env, Api>();

function apiFor(env: Cloudflare.Env): Api {
  let app = apps.get(env);
  if (app === undefined) {
    const host = createWorkerRunHost({
      runs: env.RUN_OBJECT,
      index: env.RUN_INDEX,
      workflows: demoWorkflows,
    });
    const token = env.RUNLOG_TOKEN;
    app = createRunApi({
      host,
      ...(token ? { auth: { token } } : {}),
      // A Worker is served on real host names, so the loopback-only Host check (the Node server's
      // guard against DNS rebinding) does not apply: set RUNLOG_TOKEN to guard a deployed Worker.
      allowedHosts: ["*"],
      // The path only: a query value may be a secret, and logs are kept.
      onError: (error, request) =>
        console.error(`runlog: ${request.method} ${new URL(request.url).pathname}`, error),
    });
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch(request, env, ctx) {
    return apiFor(env).fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Cloudflare.Env>;
