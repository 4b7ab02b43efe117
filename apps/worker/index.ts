/**
 * The Worker: runlog's HTTP API at the edge, made the way a user's Worker is (see the README's
 * "Use it in your project"): each run in its own Durable Object (`RunObject`), `GET /runs` from
 * the one `RunIndexObject`, and the demo workflows, their tools and the scripted LLM provider.
 * `RUNLOG_TOKEN` (a secret) turns bearer auth on; `/health` stays open.
 */
import { createRunlogWorker } from "../../adapters/cloudflare/index.ts";
import { demoProvider, demoTools, demoWorkflows } from "../../src/demos/index.ts";

const runlog = createRunlogWorker<Cloudflare.Env>({
  workflows: demoWorkflows,
  tools: demoTools(),
  providers: [demoProvider()],
});

export const { RunObject, RunIndexObject } = runlog;
export default runlog;
