import { RunObject } from "../../adapters/cloudflare/index.ts";
import { demoWorkflows } from "../../src/demos/index.ts";
import {
  contractDeployment,
  contractExecutor,
  contractWorkflows,
} from "../../test/contract/contract-kit.ts";

/**
 * The run object of the host contract suite (test/contract): the demo workflows plus the
 * contract's, whose tool is held by gates the tests release. It runs in the tests' isolate, so it
 * shares their instance of the kit. Each instance deploys what `contractDeployment` says when it
 * is constructed (after an eviction, `contract.versioned` v2 too, if the test asked), and its
 * watchdog re-drives a run left `running` by an eviction after a second, not a minute.
 */
export class ContractRunObject extends RunObject<Cloudflare.Env> {
  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env, {
      workflows: [...demoWorkflows, ...contractWorkflows({ v2: contractDeployment.v2 })],
      executor: contractExecutor(),
      watchdogMs: 1_000,
    });
  }
}
