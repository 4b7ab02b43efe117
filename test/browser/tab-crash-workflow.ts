// The workflow the tab-kill tests run, with no side effects on import: a page or a worker uses it.
import { type Json, workflow } from "runlog";

/** `test.tab-crash {n}`: n calls of the tool `work`, then done with their outputs. */
export const tabCrashWorkflow = workflow<{ n: number }, Json>(
  "test.tab-crash",
  1,
  function* (ctx, input) {
    const outputs: Json[] = [];
    for (let i = 0; i < input.n; i++) outputs.push(yield* ctx.tool("work", { i }));
    return outputs;
  },
);
