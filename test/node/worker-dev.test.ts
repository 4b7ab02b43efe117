// The real Worker under wrangler's dev server (workerd, offline, on 127.0.0.1 and a free port),
// driven over HTTP from Node: what `npm run dev:worker` serves. One worker start for the file.
// Every request crosses into a real workerd process, so the timeouts are generous: an idle machine
// runs the file in about a second, a loaded one can take many times that.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";

const TOKEN = "worker-dev-token";
const AUTH = { authorization: `Bearer ${TOKEN}` };

let worker: Awaited<ReturnType<typeof unstable_startWorker>> | undefined;
let base = "";

async function api(method: string, path: string, body?: unknown, auth = true) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(auth ? AUTH : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, of several shapes.
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

beforeAll(async () => {
  process.env.WRANGLER_SEND_METRICS = "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  worker = await unstable_startWorker({
    config: "wrangler.toml",
    bindings: { RUNLOG_TOKEN: { type: "secret_text", value: TOKEN } },
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: false,
      logLevel: "warn",
    },
  });
  await worker.ready;
  base = (await worker.url).origin;
}, 120_000);

afterAll(async () => {
  await worker?.dispose();
}, 60_000);

// Whole seconds under load; vitest's default of 5 s failed on a busy machine.
const TEST_TIMEOUT = 60_000;

describe("the Worker under wrangler dev", { timeout: TEST_TIMEOUT }, () => {
  it("listens on 127.0.0.1 and wants the token everywhere but /health", async () => {
    expect(new URL(base).hostname).toBe("127.0.0.1");
    expect((await api("GET", "/health", undefined, false)).status).toBe(200);
    expect((await api("GET", "/runs", undefined, false)).status).toBe(401);
    expect((await api("GET", "/runs")).status).toBe(200);
  });

  it("starts demo.approval, resumes it over HTTP and sees it complete", async () => {
    const runId = `dev-approval-${Date.now()}`;
    const started = await api("POST", "/runs?wait=true", {
      workflow: "demo.approval",
      input: { text: "from node" },
      runId,
    });
    expect(started).toMatchObject({ status: 201, body: { runId, status: "blocked" } });
    expect(started.body.blocked.interrupt.value.draft).toEqual({ text: "from node" });

    const resumed = await api("POST", `/runs/${runId}/resume?wait=true`, {
      value: { approved: true },
    });
    expect(resumed).toMatchObject({
      status: 200,
      body: { status: "completed", output: { approved: true, text: "from node" } },
    });

    const events = await api("GET", `/runs/${runId}/events`);
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual([
      "RunStarted",
      "ActionRequested",
      "ActionSucceeded",
      "Interrupted",
      "Resumed",
      "Completed",
    ]);
  });

  it("completes a short demo.sleep by the run object's alarm", async () => {
    const started = await api("POST", "/runs", { workflow: "demo.sleep", input: { ms: 300 } });
    expect(started.status).toBe(201);
    const runId = started.body.runId as string;
    let run = started.body;
    const deadline = Date.now() + TEST_TIMEOUT / 2;
    while (run.status !== "completed" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = (await api("GET", `/runs/${runId}`)).body;
    }
    expect(run).toMatchObject({ status: "completed", output: { sleptMs: 300 } });
  });
});
