// Extra workflows for tests that run the real server (RUNLOG_WORKFLOWS points here). The server
// ships none of them: it loads this module only when told to.
import {
  ActionError,
  AllowAllPolicy,
  defineTool,
  RetryWithBackoffPolicy,
  s,
  workflow,
} from "runlog";

/** Backoff of the flaky tool's retry: long enough to kill the server during it. */
export const FLAKY_BACKOFF_MS = 2500;

/** Fails its first attempt with a transient error, succeeds on the next. */
const flakyTool = defineTool({
  name: "flaky",
  description: "Fails the first attempt (transient), then echoes its input.",
  input: s.object({ n: s.number() }),
  handler: (input, ctx) => {
    if (ctx.attempt === 0) throw ActionError.transient(`flaky: attempt ${ctx.attempt} failed`);
    return { n: input.n, attempt: ctx.attempt };
  },
});

/** Takes `ms` before it answers: a drive in progress when the server is told to stop. */
const slowTool = defineTool({
  name: "slow",
  description: "Waits ms milliseconds, then answers.",
  input: s.object({ ms: s.number() }),
  handler: async (input) => {
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    return { waitedMs: input.ms };
  },
});

export const flaky = workflow<{ n: number }, { n: number; attempt: number }>(
  "test.flaky",
  1,
  function* flakyRun(ctx, input) {
    return yield* ctx.tool<{ n: number; attempt: number }>("flaky", { n: input.n });
  },
  { description: "Calls a tool that fails once, then succeeds after a durable backoff." },
);

export const slow = workflow<{ ms: number }, { waitedMs: number }>(
  "test.slow",
  1,
  function* slowRun(ctx, input) {
    return yield* ctx.tool<{ waitedMs: number }>("slow", { ms: input.ms });
  },
  { description: "Calls a tool that takes a while." },
);

export const workflows = [flaky, slow];
export const tools = [flakyTool, slowTool];
// One retry after a backoff longer than the kernel waits in its loop: a durable wait.
export const policy = new RetryWithBackoffPolicy(new AllowAllPolicy(), 1, FLAKY_BACKOFF_MS);
