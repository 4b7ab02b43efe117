import { createRunObject } from "../../adapters/cloudflare/index.ts";
import { demoProvider, demoTools, demoWorkflows } from "../../src/demos/index.ts";
import {
  ActionError,
  AllowAllPolicy,
  createExecutor,
  defineTool,
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

const tools = demoTools();
tools.register(flakyTool as never);

/**
 * The run object the workers tests drive: the demo workflows plus `test.sleep-then-flaky`, a
 * retry policy whose backoffs (a minute) are durable waits, a clock the test can move forward
 * (`skewMs`) and reports to the run index it can make fail (`lostReports`).
 */
export class TestRunObject extends createRunObject<Cloudflare.Env>({
  workflows: [...demoWorkflows, sleepThenFlaky],
  executor: createExecutor({ tools, providers: [demoProvider()] }),
  policy: new RetryWithBackoffPolicy(new AllowAllPolicy(), 3, 60_000),
}) {
  /** Added to the real time: lets a test reach a timer or a backoff without waiting for it. */
  skewMs?: number;
  /** How many of the next reports to the run index fail as if lost on the way. */
  lostReports?: number;

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
