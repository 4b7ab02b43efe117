// A refund: look the order up, ask a human when the amount is large, then pay it back.
import { defineTool, s, workflow } from "runlog";

export const lookupOrder = defineTool({
  name: "lookupOrder",
  description: "Finds an order and how much was paid for it.",
  input: s.object({ orderId: s.string() }),
  handler: ({ orderId }) => ({ orderId, paid: 250, customer: "ada@example.com" }),
});

export const payBack = defineTool({
  name: "payBack",
  description: "Pays an amount back to the customer of an order.",
  input: s.object({ orderId: s.string(), amount: s.number() }),
  handler: ({ orderId, amount }) => ({ receipt: `refund-${orderId}-${amount}` }),
});

export const refund = workflow(
  "refund",
  1,
  function* refund(ctx, input: { orderId: string; amount: number }) {
    const order = yield* ctx.tool<{ paid: number }>("lookupOrder", { orderId: input.orderId });
    if (input.amount > order.paid) return { refunded: false, note: "more than was paid" };
    if (input.amount >= 100) {
      const answer = yield* ctx.interrupt<{ approved: boolean }>({
        question: `Refund ${input.amount} for order ${input.orderId}?`,
      });
      if (!answer.approved) return { refunded: false, note: "declined" };
    }
    const paid = yield* ctx.tool<{ receipt: string }>("payBack", input);
    return { refunded: true, note: paid.receipt };
  },
  { input: s.object({ orderId: s.string(), amount: s.number({ min: 0 }) }) },
);
