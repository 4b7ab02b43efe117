// The real server as a child process, killed and restarted: a durable sleep and a durable retry
// backoff survive a SIGKILL and finish at their time with one ActionRequested and one terminal
// event per action; a SIGTERM waits for the drive in progress and exits 0 with the log intact.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SequencedEvent } from "runlog";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../adapters/node/index.ts";
import { type ServerProcess, startServer, until } from "../support/server-process.ts";
import { FLAKY_BACKOFF_MS } from "../support/server-workflows.ts";

const dir = mkdtempSync(join(tmpdir(), "runlog-server-crash-"));
const env = {
  RUNLOG_DB: join(dir, "runlog.db"),
  RUNLOG_WORKFLOWS: "test/support/server-workflows.ts",
};
const SLEEP_MS = 2500;
const started: ServerProcess[] = [];

afterAll(() => {
  for (const server of started) server.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function boot(): Promise<ServerProcess> {
  const server = await startServer(env);
  started.push(server);
  return server;
}

type Flat = { seq: number; ts: number; type: string; actionId?: string; retryAt?: number };

async function post(
  server: ServerProcess,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

async function eventsOf(server: ServerProcess, runId: string): Promise<Flat[]> {
  const res = await fetch(`${server.url}/runs/${runId}/events?limit=1000`);
  return ((await res.json()) as { events: Flat[] }).events;
}

async function statusOf(server: ServerProcess, runId: string): Promise<string> {
  return ((await (await fetch(`${server.url}/runs/${runId}`)).json()) as { status: string }).status;
}

/** Every action has exactly one ActionRequested and one terminal event. */
function expectOneRequestAndOneOutcomePerAction(events: Flat[]): void {
  const ids = [...new Set(events.flatMap((e) => (e.actionId ? [e.actionId] : [])))];
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) {
    const of = events.filter((e) => e.actionId === id);
    expect(
      of.filter((e) => e.type === "ActionRequested"),
      id,
    ).toHaveLength(1);
    expect(
      of.filter((e) => e.type === "ActionSucceeded" || e.type === "ActionFailed"),
      id,
    ).toHaveLength(1);
  }
}

describe("the server process", () => {
  let second: ServerProcess;

  it("finishes a durable sleep and a durable retry backoff after a SIGKILL and a restart", async () => {
    const first = await boot();
    const sleep = await post(first, "/runs?wait=true", {
      workflow: "demo.sleep",
      input: { ms: SLEEP_MS },
      runId: "sleepy",
    });
    expect(sleep).toMatchObject({ status: "blocked", blocked: { timerAt: expect.any(Number) } });
    const flaky = await post(first, "/runs?wait=true", {
      workflow: "test.flaky",
      input: { n: 7 },
      runId: "flaky",
    });
    expect(flaky).toMatchObject({ status: "blocked", blocked: { retryAt: expect.any(Number) } });

    first.child.kill("SIGKILL");
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });

    second = await boot();
    await until(
      async () => (await statusOf(second, "sleepy")) === "completed",
      15_000,
      "the sleep to complete",
    );
    await until(
      async () => (await statusOf(second, "flaky")) === "completed",
      15_000,
      "the retry to complete",
    );

    const slept = await eventsOf(second, "sleepy");
    expect(slept.map((e) => e.type)).toEqual([
      "RunStarted",
      "ActionRequested",
      "ActionSucceeded",
      "Completed",
    ]);
    expectOneRequestAndOneOutcomePerAction(slept);
    const [, requested, succeeded] = slept as [Flat, Flat, Flat];
    expect(succeeded.ts - requested.ts).toBeGreaterThanOrEqual(SLEEP_MS);

    const retried = await eventsOf(second, "flaky");
    expect(retried.map((e) => e.type)).toEqual([
      "RunStarted",
      "ActionRequested",
      "ActionAttemptFailed",
      "ActionSucceeded",
      "Completed",
    ]);
    expectOneRequestAndOneOutcomePerAction(retried);
    const attempt = retried[2] as Flat;
    expect(attempt.retryAt).toBe(attempt.ts + FLAKY_BACKOFF_MS);
    expect((retried[3] as Flat).ts).toBeGreaterThanOrEqual(attempt.retryAt as number);
    const output = ((await (await fetch(`${second.url}/runs/flaky`)).json()) as { output: unknown })
      .output;
    expect(output).toEqual({ n: 7, attempt: 1 });
  }, 60_000);

  it("on SIGTERM lets the drive in progress finish, exits 0 and keeps every committed event", async () => {
    await post(second, "/runs", { workflow: "test.slow", input: { ms: 800 }, runId: "slow" });
    await until(
      async () => (await eventsOf(second, "slow")).some((e) => e.type === "ActionRequested"),
      5000,
      "the tool call",
    );
    const sse = await fetch(`${second.url}/runs/sleepy/stream`);
    expect(sse.status).toBe(200);

    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.output()).toMatch(/SIGTERM: stopping[\s\S]*runlog: stopped\n/);

    const store = SqliteStore.open(env.RUNLOG_DB);
    try {
      const types = (await store.read("slow")).map((se: SequencedEvent) => se.event.type);
      expect(types).toEqual(["RunStarted", "ActionRequested", "ActionSucceeded", "Completed"]);
      expect((await store.read("sleepy")).map((se) => se.event.type)).toHaveLength(4);
      expect((await store.getRun("slow"))?.status).toBe("completed");
    } finally {
      store.close();
    }
  }, 30_000);
});
