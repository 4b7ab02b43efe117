// The refund workflow's own tests, written the way runlog's are: a memory host with a clock the
// test owns, and a crash at every commit and every tool call, each recovered to the crash-free run.
// `npm test` compiles them and runs them with Node's test runner.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createExecutor, createMemoryHost, ToolRegistry } from "runlog";
import { crashAtEveryPoint, ManualClock } from "runlog/testing";
import { lookupOrder, payBack, refund } from "./refund.ts";

const executor = () => createExecutor({ tools: new ToolRegistry([lookupOrder, payBack]) });

test("a large refund waits for a human, then pays it back", async () => {
  const host = createMemoryHost({
    workflows: [refund],
    executor: executor(),
    clock: new ManualClock(1_000),
  });
  const run = await host.start("refund", { orderId: "o-1", amount: 120 }, { wait: true });
  assert.equal(run.status, "blocked");
  assert.deepEqual(run.blocked?.interrupt?.value, { question: "Refund 120 for order o-1?" });
  const done = await host.resume(run.runId, { approved: true }, { wait: true });
  assert.deepEqual(done.output, { refunded: true, note: "refund-o-1-120" });
  await host.close();
});

test("a refund larger than the payment is refused without asking anyone", async () => {
  const host = createMemoryHost({ workflows: [refund], executor: executor() });
  const run = await host.start("refund", { orderId: "o-2", amount: 900 }, { wait: true });
  assert.deepEqual(run.output, { refunded: false, note: "more than was paid" });
  await host.close();
});

test("recovers from a crash at every commit and every tool call, paying back once", async () => {
  const report = await crashAtEveryPoint({
    workflow: refund,
    input: { orderId: "o-3", amount: 150 },
    executor: executor(),
    answer: () => ({ approved: true }),
  });
  assert.ok(report.points > 0, "the run has crash points");
  assert.deepEqual(report.final.output, { refunded: true, note: "refund-o-3-150" });
});
