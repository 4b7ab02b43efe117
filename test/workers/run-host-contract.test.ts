// The host contract suite inside workerd: the Worker's host, which forwards every call about a run
// to that run's Durable Object (ContractRunObject of apps/worker-test: the demos and the contract's
// workflows) and lists runs from the run index object. The objects run in this test's isolate and
// share its instance of the contract kit; a held tool is let go inside its object
// (`runInDurableObject`), so that it goes on in that object's context. A restart evicts the runs'
// objects as the platform would: memory gone, storage and alarm kept; the objects' watchdog alarm
// re-drives a run that was left in the middle of an action.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createWorkerRunHost } from "runlog/cloudflare";
import { demoWorkflows } from "runlog/demos";
import { contractDeployment, contractWorkflows, gates } from "../contract/contract-kit.ts";
import { describeRunHost } from "../contract/run-host-suite.ts";

const stubOf = (runId: string) =>
  env.CONTRACT_RUN_OBJECT.get(env.CONTRACT_RUN_OBJECT.idFromName(runId));

const makeHost = () =>
  createWorkerRunHost({
    runs: env.CONTRACT_RUN_OBJECT,
    index: env.RUN_INDEX,
    workflows: [...demoWorkflows, ...contractWorkflows({ v2: contractDeployment.v2 })],
  });

async function evict(runId: string): Promise<void> {
  const aborted = await runInDurableObject(stubOf(runId), (_instance, state) => {
    state.abort("evicted by the test");
  }).catch((e: unknown) => e);
  if (!String(aborted).includes("evicted by the test")) {
    throw new Error(`run ${runId}: the object was not evicted (${String(aborted)})`);
  }
}

describeRunHost("Worker host over Durable Objects", async () => ({
  host: makeHost(),
  restart: async (runIds, options = {}) => {
    // Objects constructed from now on deploy v2 too (the test puts this back when it ends).
    if (options.upgrade) contractDeployment.v2 = true;
    for (const runId of runIds) {
      // The evicted object's tools in flight are gone with its memory: never let go.
      gates.drop(runId);
      await evict(runId);
    }
    return makeHost();
  },
  within: (runId, work) => runInDurableObject(stubOf(runId), () => work()),
  close: async () => {
    contractDeployment.v2 = false;
  },
}));
