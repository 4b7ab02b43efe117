// createNodeHost: a Host on a SQLite file that wakes, after a restart, what a previous process
// left sleeping or running; closes within a bound; and takes providers and workflows from the
// environment and a module.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ActionExecutor, defineTool, KernelError, s, ValidationError, workflow } from "runlog";
import { afterAll, describe, expect, it } from "vitest";
import {
  createNodeHost,
  envHostOptions,
  loadWorkflowModule,
  providersFromEnv,
} from "../../adapters/node/index.ts";
import { until } from "../support/server-process.ts";
import { workflows as extraWorkflows, slow } from "../support/server-workflows.ts";

const dir = mkdtempSync(join(tmpdir(), "runlog-node-host-"));
let files = 0;
const freshPath = () => join(dir, `n${files++}`, "runlog.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("createNodeHost", () => {
  it("creates the database on first use and runs the demos with the demo tools", async () => {
    const path = freshPath();
    const host = await createNodeHost({ path, demos: true });
    expect(existsSync(path)).toBe(true);
    const run = await host.start("demo.approval", { text: "hi" }, { runId: "a", wait: true });
    expect(run.blocked?.interrupt?.value).toMatchObject({ draft: { text: "hi" } });
    await host.close();
    await expect(host.sqlite.head("a")).rejects.toSatisfy(
      (e: unknown) => KernelError.is(e) && e.code === "store",
    );
  });

  it("runs only the workflows and tools it is given: no demos unless asked", async () => {
    const hello = workflow("hello", 1, async (ctx, input: { name: string }) => {
      return { said: await ctx.tool<string>("greet", input.name) };
    });
    const greet = defineTool({
      name: "greet",
      description: "Greets someone",
      input: s.string(),
      handler: (name: string) => `hello ${name}`,
    });
    const host = await createNodeHost({ path: freshPath(), workflows: [hello], tools: [greet] });
    expect(host.workflows().map((w) => w.name)).toEqual(["hello"]);
    const run = await host.start("hello", { name: "Ada" }, { wait: true });
    expect(run).toMatchObject({ status: "completed", output: { said: "hello Ada" } });
    await expect(host.start("demo.sleep", { ms: 1 })).rejects.toSatisfy(ValidationError.is);
    const withDemos = await createNodeHost({ path: freshPath(), workflows: [hello], demos: true });
    expect(withDemos.workflows().map((w) => w.name)).toContain("demo.approval");
    await Promise.all([host.close(), withDemos.close()]);
  });

  it("wakes a sleep left by a closed host at its time, after a restart", async () => {
    const path = freshPath();
    const first = await createNodeHost({ path, demos: true });
    const started = await first.start("demo.sleep", { ms: 300 }, { runId: "nap", wait: true });
    expect(started.status).toBe("blocked");
    await first.close();

    const second = await createNodeHost({ path, demos: true });
    try {
      await until(
        async () => (await second.get("nap")).status === "completed",
        5000,
        "the sleep to end",
      );
      const { events } = await second.events("nap");
      expect(events.map((e) => e.event.type)).toEqual([
        "RunStarted",
        "ActionRequested",
        "ActionSucceeded",
        "Completed",
      ]);
      expect((events[2]?.ts ?? 0) - (events[1]?.ts ?? 0)).toBeGreaterThanOrEqual(300);
    } finally {
      await second.close();
    }
  });

  it("gives up waiting for a stuck drive at the close bound, and the next host runs that action again with the same id", async () => {
    const path = freshPath();
    const seen: string[] = [];
    const stuck: ActionExecutor = {
      execute: (_runId, _action, ctx) => {
        seen.push(ctx.actionId);
        return new Promise(() => {});
      },
    };
    const first = await createNodeHost({ path, workflows: [slow], executor: stuck });
    await first.start("test.slow", { ms: 1 }, { runId: "stuck" });
    await until(async () => seen.length === 1, 5000, "the tool call");
    expect(await first.closeWithin(50)).toBe(false);

    const answering: ActionExecutor = {
      execute: (_runId, action, ctx) => {
        seen.push(ctx.actionId);
        return {
          type: "success",
          output: { waitedMs: 0, input: action.type === "callTool" ? action.input : null },
        };
      },
    };
    const second = await createNodeHost({ path, workflows: [slow], executor: answering });
    try {
      await until(
        async () => (await second.get("stuck")).status === "completed",
        5000,
        "the re-driven run",
      );
      expect(seen).toEqual(["stuck:2", "stuck:2"]);
      const types = (await second.events("stuck")).events.map((e) => e.event.type);
      expect(types).toEqual(["RunStarted", "ActionRequested", "ActionSucceeded", "Completed"]);
    } finally {
      await second.close();
    }
  });

  it("leaves other runs alone with recover: false", async () => {
    const path = freshPath();
    const first = await createNodeHost({ path, demos: true });
    await first.start("demo.sleep", { ms: 50 }, { runId: "later", wait: true });
    await first.close();
    const reader = await createNodeHost({ path, recover: false, demos: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await reader.get("later")).status).toBe("running");
    expect((await reader.events("later")).head).toBe(2);
    await reader.close();
  });
});

describe("the environment of a Node host", () => {
  it("adds an OpenAI-compatible provider only when a model and a base URL or key are set", () => {
    expect(providersFromEnv({})).toEqual([]);
    expect(providersFromEnv({ OPENAI_API_KEY: "k" })).toEqual([]);
    expect(providersFromEnv({ OPENAI_MODEL: "m" })).toEqual([]);
    const [provider] = providersFromEnv({
      OPENAI_MODEL: "m",
      OPENAI_BASE_URL: "http://127.0.0.1:1/v1",
    });
    expect(provider?.name).toBe("openai");
  });

  it("loads workflows, tools and a policy from RUNLOG_WORKFLOWS, and names what is wrong with a bad module", async () => {
    const options = await envHostOptions({
      RUNLOG_WORKFLOWS: "test/support/server-workflows.ts",
      RUNLOG_DB: "x.db",
    });
    expect(options.path).toBe("x.db");
    expect([...(options.workflows ?? [])].map((w) => w.name)).toEqual(
      extraWorkflows.map((w) => w.name),
    );
    expect([...(options.tools ?? [])].map((t) => t.name)).toEqual(["flaky", "slow"]);
    expect(options.policy).toBeDefined();
    await expect(loadWorkflowModule("test/support/host-fixtures.ts")).rejects.toSatisfy(
      (e: unknown) =>
        ValidationError.is(e) && /has no `workflows` export/.test((e as Error).message),
    );
    await expect(loadWorkflowModule("test/support/nothing-here.ts")).rejects.toSatisfy(
      (e: unknown) =>
        ValidationError.is(e) && /cannot load the workflow module/.test((e as Error).message),
    );
  });
});
