// The whole Worker: runlog's HTTP API, each run in its own Durable Object.
import { createRunlogWorker } from "runlog/cloudflare";
import { build, release, ship } from "./deploy.ts";

const runlog = createRunlogWorker({ workflows: [release], tools: [build, ship] });

export const { RunObject, RunIndexObject } = runlog;
export default runlog;
