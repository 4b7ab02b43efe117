// Races through the HTTP API over real HTTP on 127.0.0.1, on a host backed by a SQLite file:
// 100 concurrent answers to one interrupt (exactly one is taken) and 100 concurrent copies of
// one signal (one record per Idempotency-Key), each leaving a valid log.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRunApi } from "runlog/http";
import { createNodeHost, type NodeHost } from "runlog/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logProblems } from "../../support/crash-harness.ts";
import { post } from "../../support/http-api-cases.ts";
import { listen, type TestServer } from "../../support/http-server.ts";

const N = 100;
const TOKEN = "races-token-0123456789";
const AUTH = { authorization: `Bearer ${TOKEN}` };
const dir = mkdtempSync(join(tmpdir(), "runlog-races-"));
let host: NodeHost;
let server: TestServer;
const serverErrors: unknown[] = [];

beforeAll(async () => {
  host = await createNodeHost({
    path: join(dir, "races.db"),
    demos: true,
    onError: (_id, e) => serverErrors.push(e),
  });
  server = await listen(
    createRunApi({ host, auth: { token: TOKEN }, onError: (e) => serverErrors.push(e) }).fetch,
  );
});

afterAll(async () => {
  await server.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

async function events(runId: string) {
  const { events } = await host.events(runId, 1);
  expect(logProblems(runId, events)).toEqual([]);
  return events;
}

describe("races through the HTTP API on Node (SQLite host, real HTTP)", () => {
  it(`takes exactly one of ${N} concurrent resumes of one interrupt; the others get 409 and append nothing`, async () => {
    const runId = "race-resume";
    const started = await post(
      server.call,
      "/runs?wait=true",
      { workflow: "demo.approval", input: { text: "x" }, runId },
      AUTH,
    );
    const interruptId = ((await started.json()) as { blocked: { interrupt: { id: string } } })
      .blocked.interrupt.id;
    const answers = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        post(
          server.call,
          `/runs/${runId}/resume?wait=true`,
          { value: { approved: i % 2 === 0, by: i }, interruptId },
          AUTH,
        ).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { error?: { code: string } },
        })),
      ),
    );
    const won = answers.flatMap((a, i) => (a.status === 200 ? [i] : []));
    expect(won).toHaveLength(1);
    const losers = answers.filter((a) => a.status !== 200);
    expect(new Set(losers.map((a) => a.status))).toEqual(new Set([409]));
    for (const l of losers) expect(["not_blocked", "concurrency"]).toContain(l.body.error?.code);
    const log = await events(runId);
    const resumed = log.filter((e) => e.event.type === "Resumed");
    expect(resumed).toHaveLength(1);
    const winner = won[0] as number;
    expect(resumed[0]?.event).toMatchObject({ value: { by: winner } });
    expect(await host.get(runId)).toMatchObject({
      status: "completed",
      output: { approved: winner % 2 === 0 },
    });
    expect(serverErrors).toEqual([]);
  });

  it(`records one signal for ${N} concurrent sends with the same Idempotency-Key, answering each 202`, async () => {
    const runId = "race-signal";
    await post(
      server.call,
      "/runs?wait=true",
      { workflow: "demo.signal", input: { name: "go" }, runId },
      AUTH,
    );
    const answers = await Promise.all(
      // Copies of one request: the same key with another value would be a 409 (another request).
      Array.from({ length: N }, () =>
        post(
          server.call,
          `/runs/${runId}/signals/go`,
          { value: { copy: "the same" } },
          { ...AUTH, "idempotency-key": "the-one" },
        ).then((r) => r.status),
      ),
    );
    expect(answers.filter((s) => s !== 202)).toEqual([]);
    await host.idle(runId);
    const log = await events(runId);
    const signals = log.filter((e) => e.event.type === "SignalReceived");
    expect(signals).toHaveLength(1);
    expect(signals[0]?.event).toMatchObject({ signalId: "the-one" });
    const info = await host.get(runId);
    expect(info.status).toBe("completed");
    // The value recorded is the first send's that reached the log, whichever it was.
    expect(info.output).toEqual((signals[0]?.event as { value: unknown }).value);
    expect(serverErrors).toEqual([]);
  });

  it("records one signal per key when 10 keys are each sent 10 times at once to a run that buffers them", async () => {
    const runId = "race-keys";
    // The run waits for `never`, so every `go` is buffered in the log.
    await post(
      server.call,
      "/runs?wait=true",
      { workflow: "demo.signal", input: { name: "never" }, runId },
      AUTH,
    );
    const statuses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        post(
          server.call,
          `/runs/${runId}/signals/go`,
          { value: i % 10 },
          { ...AUTH, "idempotency-key": `key-${i % 10}` },
        ).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    const log = await events(runId);
    const ids = log.flatMap((e) => (e.event.type === "SignalReceived" ? [e.event.signalId] : []));
    expect(ids.sort()).toEqual(Array.from({ length: 10 }, (_, k) => `key-${k}`).sort());
    expect((await host.get(runId)).status).toBe("blocked");
  });
});
