// An expense: check it against the policy, then wait for a manager's answer. Runs in the page.
import { defineTool, s, workflow } from "runlog";

export const checkPolicy = defineTool({
  name: "checkPolicy",
  description: "Says whether an expense is within the policy's limit.",
  input: s.object({ amount: s.number() }),
  handler: ({ amount }) => ({ withinLimit: amount <= 100 }),
});

export const expense = workflow(
  "expense",
  1,
  function* expense(ctx, input: { what: string; amount: number }) {
    const policy = yield* ctx.tool<{ withinLimit: boolean }>("checkPolicy", {
      amount: input.amount,
    });
    const answer = yield* ctx.interrupt<{ approved: boolean }>({
      question: `Approve ${input.amount} for ${input.what}?${policy.withinLimit ? "" : " (over the limit)"}`,
    });
    return { what: input.what, amount: input.amount, approved: answer.approved };
  },
  { input: s.object({ what: s.string({ min: 1 }), amount: s.number({ min: 1 }) }) },
);
