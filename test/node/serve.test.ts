// serve(host, options): the few lines that put runlog's HTTP API in a user's own Node service,
// over real HTTP on 127.0.0.1.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { s, workflow } from "runlog";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeHost, serve } from "../../adapters/node/index.ts";

const dir = mkdtempSync(join(tmpdir(), "runlog-serve-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const greet = workflow<{ name: string }, { text: string }>(
  "test.greet",
  1,
  function* greet(ctx, input) {
    const greeting = yield* ctx.waitSignal<string>("greeting");
    return { text: `${greeting}, ${input.name}` };
  },
  { input: s.object({ name: s.string() }) },
);

const json = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json", authorization: "Bearer s3cret" },
  body: JSON.stringify(body),
});

describe("serve", () => {
  it("serves the API on 127.0.0.1 and a free port, with the token, until closed", async () => {
    const host = await createNodeHost({ path: join(dir, "a.db"), workflows: [greet] });
    const server = await serve(host, { token: "s3cret" });
    try {
      expect(server.hostname).toBe("127.0.0.1");
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      expect((await fetch(`${server.url}/runs`)).status).toBe(401);

      const started = await fetch(
        `${server.url}/runs?wait=true`,
        json({ workflow: "test.greet", input: { name: "Ada" }, runId: "g1" }),
      );
      expect(started.status).toBe(201);
      expect(await started.json()).toMatchObject({ status: "blocked" });
      const signalled = await fetch(`${server.url}/runs/g1/signals/greeting?wait=true`, {
        ...json({ value: "Hello" }),
        headers: { ...json({}).headers, "idempotency-key": "k1" },
      });
      expect(signalled.status).toBe(202);
      const run = await (
        await fetch(`${server.url}/runs/g1`, { headers: { authorization: "Bearer s3cret" } })
      ).json();
      expect(run).toMatchObject({ status: "completed", output: { text: "Hello, Ada" } });
    } finally {
      await server.close();
      await host.close();
    }
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it("rejects with EADDRINUSE when the port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, "127.0.0.1", done));
    const port = (blocker.address() as { port: number }).port;
    const host = await createNodeHost({ path: join(dir, "b.db"), workflows: [greet] });
    try {
      await expect(serve(host, { port })).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      blocker.close();
      await host.close();
    }
  });
});
