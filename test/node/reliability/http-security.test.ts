// Security of the HTTP API on a SQLite host over real HTTP: the auth matrix of every route the
// OpenAPI document lists; resume tokens for another run, another interrupt, tampered or expired
// (403); ids checked before any store call (no path or SQL injection: the file is byte-for-byte
// unchanged); and, on the real server process, no token or key in its logs or in any answer.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHost, type Host, type Json, workflow } from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";
import { createRunApi } from "runlog/http";
import { SqliteStore } from "runlog/node";
import { isRunId } from "runlog/store-kit";
import { manualWaker } from "runlog/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, type TestServer } from "../../support/http-server.ts";
import { type ServerProcess, startServer } from "../../support/server-process.ts";
import { SpyStore } from "../../support/spy-store.ts";

const TOKEN = "sec-token-7f3a9c2e5b1d4086";
const AUTH = { authorization: `Bearer ${TOKEN}` };
const JSON_AUTH = { ...AUTH, "content-type": "application/json" };

/** Two interrupts in a row: a token for the first must not answer the second. */
const twoStep = workflow<Record<string, never>, Json>(
  "test.two-step",
  1,
  function* twoStepRun(ctx) {
    const first = yield* ctx.interrupt({ step: 1 });
    const second = yield* ctx.interrupt({ step: 2 });
    return { first, second };
  },
);

const dir = mkdtempSync(join(tmpdir(), "runlog-sec-"));
const path = join(dir, "sec.db");
let sqlite: SqliteStore;
let spy: SpyStore;
let host: Host;
let server: TestServer;
let clock = Date.now();
const internal: unknown[] = [];

beforeAll(async () => {
  sqlite = SqliteStore.open(path);
  spy = new SpyStore(sqlite);
  host = createHost({
    store: spy,
    workflows: [...demoWorkflows, twoStep],
    executor: demoExecutor(),
    waker: manualWaker,
    onError: (_id, e) => internal.push(e),
  });
  server = await listen(
    createRunApi({
      host,
      auth: { token: TOKEN },
      now: () => clock,
      onError: (e) => internal.push(e),
    }).fetch,
  );
});

afterAll(async () => {
  await server?.close();
  await host?.close();
  sqlite?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (p: string, init: RequestInit = {}) => server.call(p, init);
const postJson = (p: string, body: unknown, headers: Record<string, string> = JSON_AUTH) =>
  call(p, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

let fresh = 0;
async function approvalRun(): Promise<{ runId: string; interruptId: string }> {
  const runId = `sec-${fresh++}`;
  const r = await postJson("/runs?wait=true", {
    workflow: "demo.approval",
    input: { text: runId },
    runId,
  });
  expect(r.status).toBe(201);
  const info = (await r.json()) as { blocked: { interrupt: { id: string } } };
  return { runId, interruptId: info.blocked.interrupt.id };
}

async function mint(runId: string, ttlSeconds?: number): Promise<string> {
  const r = await postJson(
    `/runs/${runId}/resume-tokens`,
    ttlSeconds === undefined ? {} : { ttlSeconds },
  );
  expect(r.status).toBe(201);
  return ((await r.json()) as { token: string }).token;
}

/** The request that would succeed on each route, given the right credentials. */
async function requestFor(
  method: string,
  template: string,
): Promise<{ path: string; init: RequestInit }> {
  const { runId } = await approvalRun();
  const p = template.replace("{id}", runId).replace("{name}", "go");
  const json = (body: unknown) => ({
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
  if (method === "get") return { path: p, init: { method: "GET" } };
  if (p === "/runs")
    return {
      path: p,
      init: {
        method: "POST",
        ...json({ workflow: "demo.signal", input: {}, runId: `${runId}-new` }),
      },
    };
  if (p === "/runs/import") {
    const body = await host.exportRun(runId);
    return {
      path: `${p}?runId=${runId}-imported`,
      init: { method: "POST", body, headers: { "content-type": "application/x-ndjson" } },
    };
  }
  if (p.endsWith("/resume"))
    return { path: p, init: { method: "POST", ...json({ value: { approved: true } }) } };
  if (p.endsWith("/fork")) return { path: p, init: { method: "POST", ...json({ atSeq: 1 }) } };
  return { path: p, init: { method: "POST", ...json({}) } };
}

/** Sends a request and reads its answer whole; a stream is cut after its headers. */
async function send(
  p: string,
  init: RequestInit,
  auth: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const abort = new AbortController();
  const r = await call(p, {
    ...init,
    signal: abort.signal,
    headers: { ...(init.headers as Record<string, string>), ...auth },
  });
  if ((r.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    abort.abort();
    return { status: r.status, body: "" };
  }
  return { status: r.status, body: await r.text() };
}

describe("the auth matrix of every route in the OpenAPI document", () => {
  it("lets only the token in (401 without it or with another), and a resume token nowhere but its resume (403)", async () => {
    const doc = (await (await call("/openapi.json", { headers: AUTH })).json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([template, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method,
        template,
        open: Array.isArray(op.security) && op.security.length === 0,
      })),
    );
    expect(routes.length).toBeGreaterThanOrEqual(17);
    const { runId: tokenRun } = await approvalRun();
    const resumeToken = await mint(tokenRun);
    const rows: string[] = [];
    for (const route of routes) {
      const { path: p, init } = await requestFor(route.method, route.template);
      const what = `${route.method.toUpperCase()} ${route.template}`;
      const none = await send(p, init, {});
      const wrong = await send(p, init, { authorization: `Bearer ${TOKEN.slice(0, -1)}x` });
      const prefix = await send(p, init, { authorization: `Bearer ${TOKEN.slice(0, 8)}` });
      const basic = await send(p, init, { authorization: `Basic ${TOKEN}` });
      const resume = await send(p, init, { authorization: `Bearer ${resumeToken}` });
      const good = await send(p, init, AUTH);
      rows.push(
        `${what}: ${[none, wrong, prefix, basic, resume, good].map((x) => x.status).join(" ")}`,
      );
      if (route.open) {
        expect([what, none.status]).toEqual([what, 200]);
        continue;
      }
      for (const [name, r] of [
        ["none", none],
        ["wrong", wrong],
        ["prefix", prefix],
        ["basic", basic],
      ] as const) {
        expect([what, name, r.status]).toEqual([what, name, 401]);
        expect(JSON.parse(r.body)).toMatchObject({ error: { code: "unauthorized" } });
      }
      // A resume token is for POST /runs/{its run}/resume only; here it is another run's.
      expect([what, "resume token", resume.status]).toEqual([what, "resume token", 403]);
      expect([what, "good", good.status < 300]).toEqual([what, "good", true]);
    }
    expect(internal).toEqual([]);
    console.log(
      `[http-security] auth matrix (none wrong prefix basic resume-token good):\n  ${rows.join("\n  ")}`,
    );
  }, 60_000);
});

describe("resume tokens", () => {
  const resumeWith = (
    runId: string,
    token: string,
    body: unknown = { value: { approved: true } },
  ) => postJson(`/runs/${runId}/resume`, body, { authorization: `Bearer ${token}` });

  it("answer their own run's interrupt once; for another run, another interrupt, tampered or expired they get 403 and append nothing", async () => {
    const a = await approvalRun();
    const b = await approvalRun();
    const token = await mint(a.runId);
    const headOf = async (id: string) => (await host.get(id)).head;
    const heads = [await headOf(a.runId), await headOf(b.runId)];

    expect((await resumeWith(b.runId, token)).status).toBe(403);
    const [head, claims, signature] = token.split(".") as [string, string, string];
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    const forged = JSON.parse(Buffer.from(claims, "base64url").toString()) as Record<
      string,
      unknown
    >;
    const tampered = [
      `${head}.${claims}.${flip(signature)}`,
      `${head}.${flip(claims)}.${signature}`,
      `${head}.${Buffer.from(JSON.stringify({ ...forged, runId: b.runId })).toString("base64url")}.${signature}`,
      `${head}.${Buffer.from(JSON.stringify({ ...forged, exp: (forged.exp as number) + 1e9 })).toString("base64url")}.${signature}`,
      `${head}.${claims}.`,
    ];
    for (const t of tampered)
      expect([t.slice(-12), (await resumeWith(a.runId, t)).status]).toEqual([t.slice(-12), 403]);
    expect((await resumeWith(a.runId, token, { value: 1, interruptId: "another" })).status).toBe(
      403,
    );
    expect([await headOf(a.runId), await headOf(b.runId)]).toEqual(heads);

    expect((await resumeWith(a.runId, token)).status).toBe(200);
    // The interrupt is answered: the same token again is refused, and nothing more is appended.
    const again = await resumeWith(a.runId, token);
    expect([403, 409]).toContain(again.status);
    expect(
      (await host.events(a.runId)).events.filter((e) => e.event.type === "Resumed"),
    ).toHaveLength(1);
  });

  it("refuses a token for the run's previous interrupt once it waits on the next one", async () => {
    const runId = `two-${fresh++}`;
    await postJson("/runs?wait=true", { workflow: "test.two-step", input: {}, runId });
    const first = await mint(runId);
    expect((await resumeWith(runId, first, { value: "one" })).status).toBe(200);
    await host.idle(runId);
    expect((await host.get(runId)).blocked?.interrupt?.value).toEqual({ step: 2 });
    const head = (await host.get(runId)).head;
    expect((await resumeWith(runId, first, { value: "two" })).status).toBe(403);
    expect((await host.get(runId)).head).toBe(head);
    const second = await mint(runId);
    expect((await resumeWith(runId, second, { value: "two" })).status).toBe(200);
  });

  it("refuses an expired token with 403", async () => {
    const { runId } = await approvalRun();
    const token = await mint(runId, 60);
    clock += 61_000;
    const r = await resumeWith(runId, token);
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    expect((await host.get(runId)).status).toBe("blocked");
  });
});

/** Sends a raw request line, unnormalized (fetch would resolve `..` before sending). */
function raw(
  method: string,
  rawPath: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method,
        path: rawPath,
        headers: {
          ...JSON_AUTH,
          ...headers,
          ...(body === undefined ? {} : { "content-length": Buffer.byteLength(body) }),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const fileHash = () => {
  const h = createHash("sha256");
  for (const p of [path, `${path}-wal`]) {
    try {
      h.update(readFileSync(p));
    } catch {
      h.update("-");
    }
  }
  return h.digest("hex");
};

describe("ids are checked before any store sees them", () => {
  const BAD = [
    "'; DROP TABLE runlog_events; --",
    "x' OR '1'='1",
    "../../etc/passwd",
    "..",
    "a\u0000b",
    "x".repeat(129),
    "y".repeat(10_000),
    "run id",
    "-leading-dash",
    "ü",
    "%2e%2e%2f",
  ];

  it("answers 400 (or 404/405 where no route matches) and leaves the SQLite file byte-for-byte unchanged", async () => {
    const { runId } = await approvalRun();
    const exported = await host.exportRun(runId);
    await host.idle(runId);
    const before = fileHash();
    spy.ids.clear();
    const outcomes: string[] = [];
    for (const bad of BAD) {
      const enc = encodeURIComponent(bad);
      const attempts: [string, string, string?][] = [
        ["GET", `/runs/${enc}`],
        ["GET", `/runs/${enc}/events`],
        ["GET", `/runs/${enc}/export`],
        ["GET", `/runs/${enc}/verify`],
        ["GET", `/runs/${enc}/timeline`],
        ["POST", `/runs/${enc}/resume`, JSON.stringify({ value: 1 })],
        ["POST", `/runs/${enc}/signals/go`, "{}"],
        ["POST", `/runs/${runId}/signals/${enc}`, "{}"],
        ["POST", `/runs/${enc}/cancel`, "{}"],
        ["POST", `/runs/${enc}/resume-tokens`, "{}"],
        ["POST", "/runs", JSON.stringify({ workflow: "demo.signal", input: {}, runId: bad })],
        ["POST", `/runs/${runId}/fork`, JSON.stringify({ atSeq: 1, newRunId: bad })],
        ["POST", `/runs/import?runId=${enc}`, exported],
      ];
      // Unencoded too where the id has no character a request line cannot carry.
      if (/^[\x21-\x7e]+$/.test(bad))
        attempts.push(["GET", `/runs/${bad}`], ["POST", `/runs/${bad}/cancel`, "{}"]);
      for (const [method, p, body] of attempts) {
        const headers = p.startsWith("/runs/import")
          ? { "content-type": "application/x-ndjson" }
          : {};
        const r = await raw(method, p, body, headers);
        if (![400, 404, 405].includes(r.status))
          outcomes.push(`${method} ${p.slice(0, 60)} → ${r.status} ${r.body.slice(0, 100)}`);
      }
    }
    expect(outcomes).toEqual([]);
    expect([...spy.ids].filter((id) => !isRunId(id))).toEqual([]);
    expect(fileHash()).toBe(before);
    // The tables are all there and the run reads as before.
    expect(await host.exportRun(runId)).toBe(exported);
    expect(internal).toEqual([]);
  }, 60_000);
});

describe("run ids inside an imported export", () => {
  // Product bug (reported): without ?runId, POST /runs/import takes the run id from the export's
  // header, which no one checks (Host.importRun checks only options.runId, and the hash does not
  // cover the header): runs named "../evil" or "a\u0000b" are created that no route can reach.
  it("refuses an export whose header names an invalid run id, before any store sees it", async () => {
    const { runId } = await approvalRun();
    await host.idle(runId);
    const lines = (await host.exportRun(runId)).trimEnd().split("\n");
    const header = JSON.parse(lines[0] as string) as Record<string, unknown>;
    const before = fileHash();
    spy.ids.clear();
    const outcomes: string[] = [];
    for (const bad of [
      "../evil",
      "'; DROP TABLE runlog_events; --",
      "a\u0000b",
      "y".repeat(5000),
    ]) {
      const body = `${[JSON.stringify({ ...header, runId: bad }), ...lines.slice(1)].join("\n")}\n`;
      const r = await raw("POST", "/runs/import", body, { "content-type": "application/x-ndjson" });
      if (r.status !== 400)
        outcomes.push(`${JSON.stringify(bad.slice(0, 40))} → ${r.status} ${r.body.slice(0, 80)}`);
    }
    expect(outcomes).toEqual([]);
    expect([...spy.ids].filter((id) => !isRunId(id))).toEqual([]);
    expect(fileHash()).toBe(before);
  });
});

describe("secrets stay out of logs and answers (the real server process)", () => {
  const API_KEY = "sk-test-key-4be1c7d9f0a2e365";
  let llm: Server;
  let proc: ServerProcess | undefined;
  const bodies: string[] = [];

  beforeAll(async () => {
    // An OpenAI-compatible server that misbehaves: it answers 401 quoting the key it was sent.
    llm = createServer((req, res) => {
      const auth = req.headers.authorization ?? "";
      req.resume();
      res.writeHead(401, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: { message: `invalid key: ${auth} (${auth.replace("Bearer ", "")})` },
        }),
      );
    });
    await new Promise<void>((r) => llm.listen(0, "127.0.0.1", r));
    const llmPort = (llm.address() as AddressInfo).port;
    proc = await startServer({
      RUNLOG_DB: join(dir, "server.db"),
      RUNLOG_TOKEN: TOKEN,
      RUNLOG_WORKFLOWS: "test/support/secret-workflows.ts",
      OPENAI_MODEL: "test-model",
      OPENAI_BASE_URL: `http://127.0.0.1:${llmPort}/v1`,
      OPENAI_API_KEY: API_KEY,
    });
  }, 60_000);

  afterAll(async () => {
    proc?.child.kill("SIGKILL");
    await new Promise<void>((r) => llm.close(() => r()));
  });

  async function hit(p: string, init: RequestInit = {}): Promise<Response> {
    const r = await fetch(`${proc?.url}${p}`, init);
    const text = await r.clone().text();
    bodies.push(`${r.status} ${[...r.headers].map(([k, v]) => `${k}: ${v}`).join("; ")} ${text}`);
    return r;
  }

  it("never writes the API token, a resume token or the LLM key to stdout, stderr or an answer", async () => {
    const json = { "content-type": "application/json" };
    // Wrong credentials in every shape, some of them containing the token itself.
    for (const authorization of [
      `Bearer ${TOKEN}x`,
      `Bearer x${TOKEN}`,
      `Basic ${TOKEN}`,
      `bearer  ${TOKEN.toUpperCase()}`,
      TOKEN,
    ]) {
      await hit("/runs", { headers: { authorization } });
      await hit("/runs", { method: "POST", headers: { ...json, authorization }, body: "{}" });
    }
    await hit(`/runs?token=${TOKEN}&key=${API_KEY}`, { headers: AUTH });
    await hit(`/runs/nope?access_token=${TOKEN}`, { headers: AUTH });
    // A run that calls the misbehaving LLM: its failure is recorded, served and logged.
    const started = await hit("/runs?wait=true", {
      method: "POST",
      headers: { ...json, ...AUTH },
      body: JSON.stringify({ workflow: "test.llm-secret", input: {}, runId: "llm-1" }),
    });
    expect(started.status).toBe(201);
    const info = (await (await hit("/runs/llm-1", { headers: AUTH })).json()) as {
      status: string;
      error?: { message: string };
    };
    expect(info.status).toBe("failed");
    expect(info.error?.message).toMatch(/401/);
    await hit("/runs/llm-1/events", { headers: AUTH });
    await hit("/runs/llm-1/timeline", { headers: AUTH });
    await hit("/runs/llm-1/export", { headers: AUTH });
    // A resume token: minted (its own answer carries it, nothing else may), used, tampered, reused.
    await hit("/runs?wait=true", {
      method: "POST",
      headers: { ...json, ...AUTH },
      body: JSON.stringify({ workflow: "demo.approval", input: { text: "t" }, runId: "appr-s" }),
    });
    const minted = await fetch(`${proc?.url}/runs/appr-s/resume-tokens`, {
      method: "POST",
      headers: { ...json, ...AUTH },
      body: "{}",
    });
    const { token: resumeToken } = (await minted.json()) as { token: string };
    for (const t of [`${resumeToken}x`, resumeToken, resumeToken]) {
      await hit("/runs/appr-s/resume", {
        method: "POST",
        headers: { ...json, authorization: `Bearer ${t}` },
        body: '{"value":true}',
      });
      await hit(`/runs/appr-s/resume?token=${t}`, {
        method: "POST",
        headers: { ...json, ...AUTH },
        body: '{"value":true}',
      });
    }
    await new Promise((r) => setTimeout(r, 200));
    const logs = proc?.output() ?? "";
    expect(logs).toMatch(/GET \/runs/);
    const secrets = { TOKEN, API_KEY, resumeToken, signature: resumeToken.split(".")[2] as string };
    const leaks: string[] = [];
    for (const [name, secret] of Object.entries(secrets)) {
      if (logs.includes(secret)) leaks.push(`${name} in the server's output`);
      bodies.forEach((b, i) => {
        if (b.includes(secret)) leaks.push(`${name} in answer ${i}: ${b.slice(0, 200)}`);
      });
    }
    expect(leaks).toEqual([]);
    // The key was redacted from the failure the LLM server sent, not just left out.
    expect(info.error?.message).toMatch(/\[redacted\]/);
  }, 60_000);
});
