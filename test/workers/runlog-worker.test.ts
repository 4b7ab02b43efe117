// createRunlogWorker, the few lines a user's Worker is made of: its handler and classes, the token
// it takes from env.RUNLOG_TOKEN, and the clear answer when a binding is missing.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createRunlogWorker, RunIndexObject, RunObject } from "../../adapters/cloudflare/index.ts";
import { demoWorkflows } from "../../src/demos/index.ts";
import { s, workflow } from "../../src/index.ts";

const hello = workflow<{ name: string }, string>(
  "test.hello",
  1,
  function* hello(ctx, input) {
    const greeting = yield* ctx.waitSignal<string>("greeting");
    return `${greeting} ${input.name}`;
  },
  { input: s.object({ name: s.string() }) },
);

const ctx = {} as ExecutionContext;

describe("createRunlogWorker", { timeout: 60_000 }, () => {
  it("gives the handler and the Durable Object classes a main module exports", () => {
    const runlog = createRunlogWorker({ workflows: [hello] });
    expect(typeof runlog.fetch).toBe("function");
    expect(runlog.RunObject.prototype).toBeInstanceOf(RunObject);
    expect(runlog.RunIndexObject).toBe(RunIndexObject);
  });

  it("offers its own workflows on the API", async () => {
    const runlog = createRunlogWorker({ workflows: [hello] });
    const response = await runlog.fetch(new Request("http://runlog.test/workflows"), env, ctx);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { workflows: { name: string }[] };
    expect(body.workflows.map((w) => w.name)).toEqual(["test.hello"]);
  });

  it("turns bearer auth on from env.RUNLOG_TOKEN", async () => {
    const runlog = createRunlogWorker({ workflows: demoWorkflows });
    const withToken = { ...env, RUNLOG_TOKEN: "edge-secret" };
    const open = await runlog.fetch(new Request("http://runlog.test/workflows"), withToken, ctx);
    expect(open.status).toBe(401);
    const authorized = await runlog.fetch(
      new Request("http://runlog.test/workflows", {
        headers: { authorization: "Bearer edge-secret" },
      }),
      withToken,
      ctx,
    );
    expect(authorized.status).toBe(200);
    expect(
      (await runlog.fetch(new Request("http://runlog.test/health"), withToken, ctx)).status,
    ).toBe(200);
  });

  it("names a missing Durable Object binding in a 500 answer", async () => {
    const runlog = createRunlogWorker({ workflows: [hello], bindings: { runs: "MY_RUNS" } });
    const response = await runlog.fetch(new Request("http://runlog.test/runs"), env, ctx);
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain("MY_RUNS");
  });

  it("is what the production Worker exports: runs go to its objects", async () => {
    const response = await exports.default.fetch("http://runlog.test/runs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ workflow: "demo.signal", input: { name: "go" } }),
    });
    expect(response.status).toBe(201);
  });
});
