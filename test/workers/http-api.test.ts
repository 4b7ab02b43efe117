// The same Hono app as the Node suites, inside workerd: built with the memory host and called
// through app.fetch, over the shared case tables.
import type { Host } from "runlog";
import { createRunApi } from "runlog/http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Call,
  JSON_HEADERS,
  makeDemoHost,
  post,
  routeCases,
  SEEDED,
  seedRuns,
  snapshotLogs,
} from "../support/http-api-cases.ts";
import { BAD_REQUESTS } from "../support/http-bad-requests.ts";
import { collectEvents, readSse } from "../support/sse-reader.ts";

const TOKEN = "workers-token-42";
const GOOD = { authorization: `Bearer ${TOKEN}` };
const { approval, signal } = SEEDED;

let host: Host;
let call: Call;

function serve(options: { token?: string } = {}): void {
  const app = createRunApi({ host, ...(options.token ? { auth: { token: options.token } } : {}) });
  call = async (path, init) => app.fetch(new Request(`http://127.0.0.1:8787${path}`, init));
}

beforeEach(async () => {
  host = makeDemoHost();
  serve();
  await seedRuns(call);
});

afterEach(async () => {
  await host.close();
});

describe("the HTTP API inside workerd", () => {
  it("runs in workerd and answers /health, starts, shows and resumes a run", async () => {
    expect(navigator.userAgent).toBe("Cloudflare-Workers");
    expect(await (await call("/health")).json()).toEqual({ ok: true });
    const run = (await (await call(`/runs/${approval}`)).json()) as {
      status: string;
      head: number;
    };
    expect(run).toMatchObject({ status: "blocked", head: 4 });
    const events = (await (await call(`/runs/${approval}/events?limit=1`)).json()) as {
      events: unknown[];
    };
    expect(events.events).toEqual([
      {
        seq: 1,
        ts: expect.any(Number),
        type: "RunStarted",
        workflow: "demo.approval",
        input: { text: "hello" },
        version: 1,
        format: 1,
        flags: ["agent.canonicalToolText"],
      },
    ]);
    const resumed = await post(call, `/runs/${approval}/resume?wait=true`, {
      value: { approved: true },
    });
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({
      status: "completed",
      output: { approved: true, text: "hello" },
    });
  });

  it.each(BAD_REQUESTS)("refuses $name with $status and appends nothing", async (c) => {
    const before = await snapshotLogs(host);
    const headers = c.headers ?? (c.body === undefined ? {} : JSON_HEADERS);
    const r = await call(c.path, {
      method: c.method,
      headers,
      ...(c.body === undefined ? {} : { body: c.body }),
    });
    expect(r.status).toBe(c.status);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body).toEqual({
      error: { code: c.code ?? expect.any(String), message: expect.any(String) },
    });
    await host.idle(approval);
    expect(await snapshotLogs(host)).toEqual(before);
  });

  it("refuses a body over 1 MiB with 413, sized or streamed", async () => {
    const big = new TextEncoder().encode(
      JSON.stringify({ workflow: "demo.approval", input: { text: "x".repeat(1024 * 1024) } }),
    );
    expect((await call("/runs", { method: "POST", headers: JSON_HEADERS, body: big })).status).toBe(
      413,
    );
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.length; i += 65_536) controller.enqueue(big.slice(i, i + 65_536));
        controller.close();
      },
    });
    expect(
      (
        await call("/runs", {
          method: "POST",
          headers: JSON_HEADERS,
          body: streamed,
          duplex: "half",
        } as RequestInit)
      ).status,
    ).toBe(413);
  });

  it("takes exactly one of 20 concurrent resumes of one interrupt", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post(call, `/runs/${approval}/resume`, { value: true })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    await host.idle(approval);
    expect(
      (await host.events(approval)).events.filter((e) => e.event.type === "Resumed"),
    ).toHaveLength(1);
  });

  it("takes a signal once per Idempotency-Key", async () => {
    for (let i = 0; i < 2; i++) {
      expect(
        (
          await post(
            call,
            `/runs/${signal}/signals/go?wait=true`,
            { value: "v" },
            { "idempotency-key": "once" },
          )
        ).status,
      ).toBe(202);
    }
    expect(
      (await host.events(signal)).events.filter((e) => e.event.type === "SignalReceived"),
    ).toHaveLength(1);
  });

  it("streams events and catches up from Last-Event-ID after a disconnect", async () => {
    const first: string[] = [];
    const response = await call(`/runs/${approval}/stream`);
    for await (const m of readSse(response.body as ReadableStream<Uint8Array>)) {
      if (m.id !== undefined) first.push(m.id);
      if (first.length === 2) break;
    }
    await post(call, `/runs/${approval}/resume?wait=true`, { value: { approved: true } });
    const again = await call(`/runs/${approval}/stream`, { headers: { "last-event-id": "2" } });
    const rest = await collectEvents(again.body as ReadableStream<Uint8Array>);
    expect([...first, ...rest.map((m) => m.id)].map(Number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rest[rest.length - 1]?.event).toBe("Completed");
  });

  it("guards routes with the bearer token and lets a resume token answer only its interrupt", async () => {
    serve({ token: TOKEN });
    const minted = await post(call, `/runs/${approval}/resume-tokens`, {}, GOOD);
    expect(minted.status).toBe(201);
    const { token } = (await minted.json()) as { token: string };
    for (const r of routeCases(approval)) {
      const init = (headers: Record<string, string>) => ({
        method: r.method,
        headers: { ...JSON_HEADERS, ...headers },
        ...(r.body === undefined ? {} : { body: r.body }),
      });
      expect([r.path, (await call(r.path, init({}))).status]).toEqual([r.path, 401]);
      expect([
        r.path,
        (await call(r.path, init({ authorization: "Bearer wrong" }))).status,
      ]).toEqual([r.path, 401]);
      if (!r.path.endsWith("/resume"))
        expect([
          r.path,
          (await call(r.path, init({ authorization: `Bearer ${token}` }))).status,
        ]).toEqual([r.path, 403]);
    }
    expect(
      (
        await post(
          call,
          `/runs/${signal}/resume`,
          { value: 1 },
          { authorization: `Bearer ${token}` },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await post(
          call,
          `/runs/${approval}/resume`,
          { value: { approved: true } },
          { authorization: `Bearer ${token}` },
        )
      ).status,
    ).toBe(200);
    expect((await call("/workflows", { headers: GOOD })).status).toBe(200);
    expect((await call("/health")).status).toBe(200);
  });

  it("refuses names that are not loopback without a token, unless allowed, as on Node", async () => {
    const app = createRunApi({ host });
    const evil = await app.fetch(new Request("http://evil.example/runs"));
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: { message: string } }).error.message).toMatch(
      /DNS rebinding/,
    );
    const fromPage = await app.fetch(
      new Request("http://localhost/runs", { headers: { origin: "https://evil.example" } }),
    );
    expect(fromPage.status).toBe(403);
    expect((await app.fetch(new Request("http://localhost:8787/runs"))).status).toBe(200);
    const open = createRunApi({ host, allowedHosts: ["*"] });
    expect((await open.fetch(new Request("http://runlog.example/runs"))).status).toBe(200);
  });

  it("serves the OpenAPI document", async () => {
    serve({ token: TOKEN });
    const doc = (await (await call("/openapi.json", { headers: GOOD })).json()) as {
      openapi: string;
      paths: object;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toHaveLength(17);
  });
});
