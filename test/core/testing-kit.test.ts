// runlog/testing as a user meets it: a workflow of their own (a tool, an interrupt, a durable
// sleep, a signal and a random draw) tested with the crash harness, golden logs and the manual
// clock and waker.
import {
  createExecutor,
  createMemoryHost,
  defineTool,
  type Json,
  s,
  ToolRegistry,
  workflow,
} from "runlog";
import {
  CrashRecoveryError,
  checkGoldenLog,
  crashAtEveryPoint,
  GoldenLogError,
  ManualClock,
  manualWaker,
} from "runlog/testing";
import { describe, expect, it } from "vitest";

const shout = defineTool({
  name: "shout",
  description: "Upper-cases a text",
  input: s.string(),
  handler: (text: string) => text.toUpperCase(),
});
const executor = createExecutor({ tools: new ToolRegistry([shout]) });

const publish = workflow("publish", 1, async (ctx, input: { text: string }) => {
  const loud = await ctx.tool<string>("shout", input.text);
  const { approved } = await ctx.interrupt<{ approved: boolean }>({ draft: loud });
  if (!approved) return { published: false };
  await ctx.sleep(60_000);
  const channel = await ctx.waitSignal<string>("channel");
  return { published: true, loud, channel, ticket: Math.floor(ctx.random() * 1000) };
});

describe("crashAtEveryPoint", () => {
  it("crashes a user's workflow at every commit and action and finds every recovery the same", async () => {
    const report = await crashAtEveryPoint({
      workflow: publish,
      input: { text: "ship it" },
      executor,
      answer: () => ({ approved: true }),
      signal: () => "#releases",
    });
    expect(report.final).toMatchObject({
      status: "completed",
      output: { published: true, loud: "SHIP IT", channel: "#releases" },
    });
    expect(report.points).toBeGreaterThan(10);
    expect(report.reExecutions).toBeLessThanOrEqual(report.points);
  });

  it("reports a workflow whose decisions change when it runs again", async () => {
    let lives = 0;
    const flaky = workflow("flaky", 1, async (ctx) => {
      lives += 1;
      return { said: await ctx.tool<string>("shout", `try ${lives}`) };
    });
    await expect(
      crashAtEveryPoint({ workflow: flaky, input: null as Json, executor }),
    ).rejects.toBeInstanceOf(CrashRecoveryError);
  });
});

describe("checkGoldenLog", () => {
  async function record(): Promise<string> {
    const host = createMemoryHost({ workflows: [publish], executor });
    const { runId } = await host.start("publish", { text: "hi" }, { wait: true });
    await host.resume(runId, { approved: false }, { wait: true });
    const log = await host.exportRun(runId);
    await host.close();
    return log;
  }

  it("replays and verifies a recorded run without executing anything", async () => {
    const log = await record();
    const result = await checkGoldenLog(log, { workflows: [publish] });
    expect(result.report).toMatchObject({ ok: true });
    expect(result.state).toBeDefined();
    expect((await checkGoldenLog(log, { workflows: [publish], hash: result.hash })).hash).toBe(
      result.hash,
    );
  });

  it("fails when the workflow now decides differently, or the hash is not the pinned one", async () => {
    const log = await record();
    const changed = workflow("publish", 1, async (ctx, input: { text: string }) => {
      const quiet = await ctx.tool<string>("shout", `${input.text.trim()}!`);
      return { quiet };
    });
    await expect(checkGoldenLog(log, { workflows: [changed] })).rejects.toBeInstanceOf(
      GoldenLogError,
    );
    await expect(
      checkGoldenLog(log, { workflows: [publish], hash: "0".repeat(64) }),
    ).rejects.toBeInstanceOf(GoldenLogError);
  });
});

describe("ManualClock and manualWaker", () => {
  it("leave a durable sleep asleep until the test moves time and wakes the run", async () => {
    const clock = new ManualClock(1_000);
    const nap = workflow("nap", 1, async (ctx) => ctx.sleep(5_000));
    const host = createMemoryHost({ workflows: [nap], clock, waker: manualWaker });
    const { runId } = await host.start("nap", null, { wait: true });
    expect((await host.get(runId)).blocked?.timerAt).toBe(6_000);
    await host.wake(runId);
    expect((await host.get(runId)).status).toBe("blocked");
    clock.advance(5_000);
    await host.wake(runId);
    expect(await host.get(runId)).toMatchObject({
      status: "completed",
      output: { sleptMs: 5_000 },
    });
    await host.close();
  });
});
