// The host contract suite inside workerd: the Worker's host, which forwards every call about a run
// to that run's Durable Object and lists runs from the run index object.
import { env } from "cloudflare:workers";
import { demoWorkflows } from "runlog";
import { createWorkerRunHost } from "runlog/cloudflare";
import { describeRunHost } from "../contract/run-host-suite.ts";

describeRunHost("Worker host over Durable Objects", async () => ({
  host: createWorkerRunHost({
    runs: env.RUN_OBJECT,
    index: env.RUN_INDEX,
    workflows: demoWorkflows,
  }),
  close: async () => undefined,
}));
