// Past a run's signal limit the HTTP API answers 409 `too_many_signals` and the SQLite log is
// unchanged; a signal the run then consumes frees the room.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHost } from "runlog";
import { demoWorkflows } from "runlog/demos";
import { createRunApi } from "runlog/http";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../adapters/node/index.ts";
import { json, post } from "../support/http-api-cases.ts";
import { listen } from "../support/http-server.ts";

const dir = mkdtempSync(join(tmpdir(), "runlog-signal-limits-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("signal limits over HTTP on SQLite", () => {
  it("answers 409 too_many_signals past the limit and appends nothing", async () => {
    const store = SqliteStore.open(join(dir, "s.db"));
    const host = createHost({ store, workflows: demoWorkflows, signalLimits: { maxPending: 2 } });
    const server = await listen(createRunApi({ host }).fetch);
    await host.start("demo.signal", { name: "go" }, { runId: "r", wait: true });
    for (const key of ["a", "b"]) {
      const r = await post(
        server.call,
        "/runs/r/signals/other",
        { value: 1 },
        { "idempotency-key": key },
      );
      expect(r.status).toBe(202);
    }
    const head = await store.head("r");
    const refused = await post(
      server.call,
      "/runs/r/signals/other",
      { value: 1 },
      { "idempotency-key": "c" },
    );
    expect(refused.status).toBe(409);
    expect((await json(refused)).error).toMatchObject({
      code: "too_many_signals",
      message: expect.stringMatching(/the limit is 2/),
    });
    expect(await store.head("r")).toBe(head);
    await server.close();
    await host.close();
    store.close();
  });
});
