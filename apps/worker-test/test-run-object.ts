import { createRunObject } from "../../adapters/cloudflare/index.ts";
import { demoProvider, demoTools, demoWorkflows } from "../../src/demos/index.ts";
import {
  ActionError,
  AllowAllPolicy,
  createExecutor,
  defineTool,
  type Json,
  RetryWithBackoffPolicy,
  type RunSummary,
  s,
  workflow,
} from "../../src/index.ts";

/** `flaky {}`: fails transiently on its first two attempts, then answers which attempt worked. */
const flakyTool = defineTool({
  name: "flaky",
  description: "Fails transiently twice, then succeeds.",
  input: s.object({}),
  handler: (_input, ctx) => {
    if (ctx.attempt < 2) throw ActionError.transient(`attempt ${ctx.attempt} failed`);
    return { attempt: ctx.attempt };
  },
});

/** `test.sleep-then-flaky {ms}`: a durable sleep, then a tool whose retries back off a minute each. */
const sleepThenFlaky = workflow<{ ms: number }, { sleptMs: number; attempt: number }>(
  "test.sleep-then-flaky",
  1,
  function* sleepThenFlaky(ctx, input) {
    yield* ctx.sleep(input.ms);
    const out = yield* ctx.tool<{ attempt: number }>("flaky", {});
    return { sleptMs: input.ms, attempt: out.attempt };
  },
  { input: s.object({ ms: s.number({ min: 0, int: true }) }) },
);

/** Every execution of `held` in this isolate, in order: outlives an evicted object's memory. */
const heldExecutions: { actionId: string; attempt: number; i: number }[] = [];
/** Executions of `held` waiting to be let go, by action id. */
const heldWaiting = new Map<string, () => void>();

/**
 * `held {i, hold}`: with `hold`, its first execution of an action id waits until the test lets it
 * go (or the object is evicted); later executions answer at once. Answers which execution it was.
 */
const heldTool = defineTool({
  name: "held",
  description: "Waits on its first execution of an action until released.",
  input: s.object({ i: s.number({ int: true }), hold: s.boolean() }),
  handler: async ({ i, hold }, ctx) => {
    heldExecutions.push({ actionId: ctx.actionId, attempt: ctx.attempt, i });
    const execution = heldExecutions.filter((e) => e.actionId === ctx.actionId).length;
    if (hold && execution === 1) {
      await new Promise<void>((resolve) => heldWaiting.set(ctx.actionId, resolve));
    }
    return { i, actionId: ctx.actionId, execution };
  },
});

/** `test.held {n}`: n calls of `held`, the first of them held, then done with their outputs. */
const heldCalls = workflow<{ n: number }, Json>(
  "test.held",
  1,
  function* heldCalls(ctx, input) {
    const outputs: Json[] = [];
    for (let i = 0; i < input.n; i++) outputs.push(yield* ctx.tool("held", { i, hold: i === 0 }));
    return outputs;
  },
  { input: s.object({ n: s.number({ min: 1, int: true }) }) },
);

const tools = demoTools();
tools.register(flakyTool as never);
tools.register(heldTool as never);

/**
 * The run object the workers tests drive: the demo workflows plus `test.sleep-then-flaky` and
 * `test.held` (a tool held in flight until released or evicted), a
 * retry policy whose backoffs (a minute) are durable waits, a clock the test can move forward
 * (`skewMs`) and reports to the run index it can make fail (`lostReports`).
 */
export class TestRunObject extends createRunObject<Cloudflare.Env>({
  workflows: [...demoWorkflows, sleepThenFlaky, heldCalls],
  executor: createExecutor({ tools, providers: [demoProvider()] }),
  policy: new RetryWithBackoffPolicy(new AllowAllPolicy(), 3, 60_000),
}) {
  /** Added to the real time: lets a test reach a timer or a backoff without waiting for it. */
  skewMs?: number;
  /** How many of the next reports to the run index fail as if lost on the way. */
  lostReports?: number;

  /** Every execution of the `held` tool so far, in this isolate. */
  heldExecutions(): { actionId: string; attempt: number; i: number }[] {
    return heldExecutions.map((e) => ({ ...e }));
  }

  /** Lets the held executions of run `runId` go; returns how many were waiting. */
  releaseHeld(runId: string): number {
    const mine = [...heldWaiting].filter(([actionId]) => actionId.startsWith(`${runId}:`));
    for (const [actionId, resolve] of mine) {
      heldWaiting.delete(actionId);
      resolve();
    }
    return mine.length;
  }

  protected override now(): number {
    return Date.now() + (this.skewMs ?? 0);
  }

  protected override async sendReport(summary: RunSummary): Promise<void> {
    if ((this.lostReports ?? 0) > 0) {
      this.lostReports = (this.lostReports ?? 0) - 1;
      throw new Error(`the report of run ${summary.runId} at head ${summary.head} was lost`);
    }
    await super.sendReport(summary);
  }
}
