// The Worker's HTTP API in workerd: every /runs/:id call routed to that run's Durable Object,
// GET /runs to the run index, and the event stream carried over RPC from the run's object.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

const BASE = "http://runlog.test";
let runs = 0;
const newRunId = (what: string) => `${what}-${Date.now()}-${runs++}`;

function call(method: string, path: string, body?: unknown): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
}

async function json(method: string, path: string, body?: unknown) {
  const response = await call(method, path, body);
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, of several shapes.
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Polls GET /runs/:id until `done` holds of it. */
// biome-ignore lint/suspicious/noExplicitAny: a run as GET /runs/:id answers it.
async function until(runId: string, done: (run: Record<string, any>) => boolean) {
  for (let i = 0; i < 100; i++) {
    const { body } = await json("GET", `/runs/${runId}`);
    if (done(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`run ${runId} did not get there`);
}

/** The `event:` names of a Server-Sent Events text. */
const eventNames = (text: string) =>
  text
    .split("\n")
    .filter((line) => line.startsWith("event: "))
    .map((line) => line.slice("event: ".length));

beforeAll(async () => {
  await exports.default.fetch(`${BASE}/health`);
}, 60_000);

describe("the Worker's HTTP API", () => {
  it("answers /health without a token", async () => {
    const { status, body } = await json("GET", "/health");
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true });
  });

  it("starts demo.approval, streams its events, resumes it and sees it complete", async () => {
    const runId = newRunId("http-approval");
    const started = await json("POST", "/runs", {
      workflow: "demo.approval",
      input: { text: "hello edge" },
      runId,
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ runId, workflow: "demo.approval" });

    const blocked = await until(runId, (run) => run.status === "blocked");
    expect(blocked.blocked.interrupt.value).toMatchObject({
      question: 'Publish "hello edge"?',
      draft: { text: "hello edge" },
    });
    const again = await json("POST", "/runs", {
      workflow: "demo.approval",
      input: { text: "hello edge" },
      runId,
    });
    expect(again).toMatchObject({ status: 200, body: { runId, status: "blocked" } });

    // The stream is open while the run waits; it closes after the event that ends the run.
    const stream = await call("GET", `/runs/${runId}/stream`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toMatch(/text\/event-stream/);

    const resumed = await json("POST", `/runs/${runId}/resume`, { value: { approved: true } });
    expect(resumed.status).toBe(200);
    const done = await until(runId, (run) => run.status === "completed");
    expect(done.output).toEqual({ approved: true, text: "hello edge" });

    const text = await stream.text();
    expect(eventNames(text)).toEqual([
      "RunStarted",
      "ActionRequested",
      "ActionSucceeded",
      "Interrupted",
      "Resumed",
      "Completed",
    ]);
    expect(text).toMatch(/^id: 6$/m);

    const events = await json("GET", `/runs/${runId}/events?from=5`);
    expect(events.body.head).toBe(6);
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual([
      "Resumed",
      "Completed",
    ]);

    // The run index hears of the completion from the run's object just after it commits.
    let listed: string[] = [];
    for (let i = 0; i < 50 && !listed.includes(runId); i++) {
      const page = await json("GET", "/runs?status=completed&limit=100");
      expect(page.status).toBe(200);
      listed = page.body.runs.map((r: { runId: string }) => r.runId);
      if (!listed.includes(runId)) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(listed).toContain(runId);
  });

  it("answers the core's errors with the API's statuses, through the RPC boundary", async () => {
    const missing = await json("GET", `/runs/${newRunId("missing")}`);
    expect(missing).toMatchObject({ status: 404, body: { error: { code: "run_not_found" } } });

    const unknown = await json("POST", "/runs", { workflow: "no.such", input: {} });
    expect(unknown.status).toBe(400);

    const runId = newRunId("http-errors");
    await json("POST", "/runs?wait=true", { workflow: "demo.signal", input: {}, runId });
    const notBlocked = await json("POST", `/runs/${runId}/resume`, { value: 1 });
    expect(notBlocked).toMatchObject({ status: 409, body: { error: { code: "not_blocked" } } });
    const otherWorkflow = await json("POST", "/runs", {
      workflow: "demo.sleep",
      input: { ms: 1 },
      runId,
    });
    expect(otherWorkflow).toMatchObject({ status: 409, body: { error: { code: "conflict" } } });

    const badInput = await json("POST", "/runs", { workflow: "demo.sleep", input: { ms: "soon" } });
    expect(badInput.status).toBe(400);
  });
});
