// The host contract suite inside workerd: the Worker's host, which forwards every call about a run
// to that run's Durable Object and lists runs from the run index object. A restart evicts the runs'
// objects as the platform would: memory gone, storage and alarm kept.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createWorkerRunHost } from "runlog/cloudflare";
import { demoWorkflows } from "runlog/demos";
import { describeRunHost } from "../contract/run-host-suite.ts";

const makeHost = () =>
  createWorkerRunHost({ runs: env.RUN_OBJECT, index: env.RUN_INDEX, workflows: demoWorkflows });

async function evict(runId: string): Promise<void> {
  const stub = env.RUN_OBJECT.get(env.RUN_OBJECT.idFromName(runId));
  const aborted = await runInDurableObject(stub, (_instance, state) => {
    state.abort("evicted by the test");
  }).catch((e: unknown) => e);
  if (!String(aborted).includes("evicted by the test")) {
    throw new Error(`run ${runId}: the object was not evicted (${String(aborted)})`);
  }
}

describeRunHost("Worker host over Durable Objects", async () => ({
  host: makeHost(),
  restart: async (runIds) => {
    for (const runId of runIds) await evict(runId);
    return makeHost();
  },
  close: async () => undefined,
}));
