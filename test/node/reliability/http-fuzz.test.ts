// The HTTP API under generated requests (methods, paths, ids, query strings, headers, bodies) on a
// host backed by a SQLite file: never a 5xx, never an unhandled rejection, and a refused request
// leaves every run's log, snapshot and summary, and the database file itself, as they were.
// Bodies over the limits are refused with 413 over real HTTP, by Content-Length and when streamed.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { createHost, type Host } from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";
import { createRunApi } from "runlog/http";
import { SqliteStore } from "runlog/node";
import { EVENT_TYPES, isRunId } from "runlog/store-kit";
import { manualWaker } from "runlog/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, type TestServer } from "../../support/http-server.ts";
import { mutate, mutation, resign } from "../../support/ndjson-mutations.ts";
import { SpyStore } from "../../support/spy-store.ts";
import { fuzzSeed, propertyTimeout, soak } from "./soak-config.ts";

const TOKEN = "fuzz-token-0123456789abcdef";
const AUTH = `Bearer ${TOKEN}`;
const BODY_LIMIT = 64 * 1024;
const IMPORT_LIMIT = 128 * 1024;

const dir = mkdtempSync(join(tmpdir(), "runlog-fuzz-"));
const path = join(dir, "fuzz.db");
let sqlite: SqliteStore;
let spy: SpyStore;
let host: Host;
let app: ReturnType<typeof createRunApi>;
let server: TestServer;
const internal: unknown[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

const SEEDED = ["appr-1", "sig-1", "done-1", "gone-1", "nap-1"];

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  sqlite = SqliteStore.open(path);
  spy = new SpyStore(sqlite);
  host = createHost({
    store: spy,
    workflows: demoWorkflows,
    executor: demoExecutor(),
    waker: manualWaker,
    onError: (_id, e) => internal.push(e),
  });
  app = createRunApi({
    host,
    auth: { token: TOKEN },
    limits: { bodyBytes: BODY_LIMIT, importBytes: IMPORT_LIMIT },
    onError: (e) => internal.push(e),
  });
  server = await listen(app.fetch);
  await host.start("demo.approval", { text: "hello" }, { runId: "appr-1", wait: true });
  await host.start("demo.signal", { name: "go" }, { runId: "sig-1", wait: true });
  await host.start("demo.signal", { name: "go" }, { runId: "done-1", wait: true });
  await host.signal("done-1", "go", 1, { signalId: "s1", wait: true });
  await host.start("demo.signal", {}, { runId: "gone-1", wait: true });
  await host.cancel("gone-1", "seeded");
  await host.start("demo.sleep", { ms: 86_400_000 }, { runId: "nap-1", wait: true });
});

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await server?.close();
  await host?.close();
  sqlite?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every run's log, snapshot and summary, and a hash of the database file and its WAL. */
async function fingerprint(): Promise<{ logical: string; bytes: string }> {
  const runs: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = await sqlite.listRuns({ limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const r of page.runs) {
      runs.push([r, await sqlite.read(r.runId, 1), await sqlite.loadLatest(r.runId)]);
    }
    cursor = page.nextCursor;
  } while (cursor);
  const hash = createHash("sha256");
  for (const p of [path, `${path}-wal`]) {
    try {
      hash.update(readFileSync(p));
    } catch {
      hash.update("-");
    }
  }
  return { logical: JSON.stringify(runs), bytes: hash.digest("hex") };
}

/** Waits for every run's drives in the background to finish. */
async function settle(): Promise<void> {
  const page = await sqlite.listRuns({ limit: 1000 });
  await Promise.all(page.runs.map((r) => host.idle(r.runId)));
}

// ---- generated requests ----

const nasty = fc.oneof(
  fc.constantFrom(
    "'; DROP TABLE runlog_events; --",
    "../../etc/passwd",
    "..",
    ".",
    "%2e%2e",
    "a\u0000b",
    "💥",
    "a b",
    "-leading",
    "x".repeat(129),
    "x".repeat(5000),
    "",
    "null",
    "__proto__",
    "constructor",
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
);
const id = fc.oneof(fc.constantFrom(...SEEDED, "nope", "fuzz-new"), nasty);
const segment = (s: string, raw: boolean) =>
  raw ? s.replace(/[/?#]/g, "_") : encodeURIComponent(s);

const ROUTES = [
  "/runs",
  "/runs/{id}",
  "/runs/{id}/events",
  "/runs/{id}/timeline",
  "/runs/{id}/resume",
  "/runs/{id}/signals/{name}",
  "/runs/{id}/cancel",
  "/runs/{id}/resume-tokens",
  "/runs/{id}/fork",
  "/runs/{id}/export",
  "/runs/import",
  "/runs/{id}/verify",
  "/workflows",
  "/health",
  "/openapi.json",
];

const pathArb = fc.oneof(
  {
    arbitrary: fc
      .record({
        route: fc.constantFrom(...ROUTES),
        id,
        name: fc.oneof(fc.constantFrom("go", "never"), nasty),
        raw: fc.boolean(),
      })
      .map(({ route, id, name, raw }) =>
        route.replace("{id}", segment(id, raw)).replace("{name}", segment(name, raw)),
      ),
    weight: 8,
  },
  fc.string({ maxLength: 60 }).map((s) => `/${encodeURI(s).replace(/^\/+/, "")}`),
  fc.constantFrom(
    "/runs/",
    "//runs",
    "/runs/appr-1/",
    "/RUNS",
    "/runs/appr-1/stream/x",
    "/runs/appr-1/../sig-1",
  ),
);

const queryValue = fc.oneof(
  fc.constantFrom(
    "true",
    "false",
    "1",
    "0",
    "-1",
    "0.5",
    "1e309",
    "NaN",
    "999999999999999999999",
    "",
    "running",
  ),
  fc.string({ maxLength: 20 }),
);
const queryArb = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom("wait", "limit", "from", "status", "cursor", "runId"),
        fc.string({ maxLength: 8 }),
      ),
      queryValue,
    ),
    { maxLength: 4 },
  )
  .map((pairs) => (pairs.length === 0 ? "" : `?${new URLSearchParams(pairs).toString()}`));

const field = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  nasty,
  fc.constantFrom(
    "demo.approval",
    "demo.signal",
    "demo.sleep",
    "demo.agent",
    0,
    -1,
    1e308,
    null,
    true,
  ),
);
const bodyObject = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      "workflow",
      "input",
      "runId",
      "value",
      "interruptId",
      "reason",
      "atSeq",
      "newRunId",
      "alternate",
      "ttlSeconds",
      "version",
    ),
    fc.string({ maxLength: 10 }),
  ),
  field,
  { maxKeys: 4 },
);
const bodyArb = fc.oneof(
  fc.constant(undefined),
  bodyObject.map((o) => JSON.stringify(o)),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }),
  fc.constantFrom(
    "{",
    '{"value":',
    "\u0000",
    "[]",
    "null",
    '{"__proto__":{"x":1}}',
    '{"value":1}{"value":2}',
  ),
);

const headersArb = fc.record(
  {
    authorization: fc.oneof(
      { arbitrary: fc.constant(AUTH), weight: 8 },
      fc.constantFrom(
        "",
        "Bearer",
        `bearer ${TOKEN}`,
        `Bearer ${TOKEN}x`,
        `Basic ${TOKEN}`,
        "Bearer rt1.a.b",
      ),
      fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
    ),
    "content-type": fc.oneof(
      fc.constantFrom(
        "application/json",
        "application/json; charset=utf-8",
        "application/x-ndjson",
        "text/plain",
        "multipart/form-data",
        "",
      ),
      fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
    ),
    "idempotency-key": fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
    "last-event-id": fc.string({ maxLength: 10 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
    origin: fc.constantFrom("http://evil.example", "null"),
  },
  { requiredKeys: [] },
);

const requestArb = fc.record({
  method: fc.constantFrom(
    "GET",
    "POST",
    "POST",
    "POST",
    "PUT",
    "DELETE",
    "PATCH",
    "HEAD",
    "OPTIONS",
  ),
  path: pathArb,
  query: queryArb,
  headers: headersArb,
  body: bodyArb,
});

type FuzzRequest = typeof requestArb extends fc.Arbitrary<infer R> ? R : never;

function toRequest(r: FuzzRequest): Request | undefined {
  // A stream never ends by itself: its refusals are covered by the API's own suites.
  if (/\/stream(\/|$)/.test(r.path)) return undefined;
  const headers = new Headers();
  for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) headers.set(k, v);
  const hasBody = r.body !== undefined && r.method !== "GET" && r.method !== "HEAD";
  try {
    return new Request(`http://runlog.test${r.path}${r.query}`, {
      method: r.method,
      headers,
      ...(hasBody ? { body: r.body as string | Uint8Array } : {}),
    });
  } catch {
    return undefined;
  }
}

const runs = soak ? 5000 : 600;

describe("the HTTP API under generated requests (SQLite host)", () => {
  it(
    "never answers 5xx, and a refused request changes nothing in the store or its file",
    async () => {
      await settle();
      let base = await fingerprint();
      const seen: Record<string, number> = {};
      const property = fc.asyncProperty(requestArb, async (r) => {
        const request = toRequest(r);
        if (!request) return;
        const response = await app.fetch(request);
        await response.arrayBuffer();
        const status = response.status;
        seen[`${Math.floor(status / 100)}xx`] = (seen[`${Math.floor(status / 100)}xx`] ?? 0) + 1;
        expect(status, `${r.method} ${r.path}${r.query}`).toBeLessThan(500);
        if (status >= 400) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          const after = await fingerprint();
          expect(after.logical, `${r.method} ${r.path}${r.query} → ${status} changed a run`).toBe(
            base.logical,
          );
          expect(after.bytes, `${r.method} ${r.path}${r.query} → ${status} changed the file`).toBe(
            base.bytes,
          );
        } else {
          // A request that was taken may write: wait for its drive and take the new state as the base.
          await settle();
          base = await fingerprint();
        }
      });
      await fc.assert(property, { seed: fuzzSeed, numRuns: runs });
      expect(internal).toEqual([]);
      expect(unhandled).toEqual([]);
      // Ids are checked before any store call: the store never saw one that is not a valid run id.
      expect([...spy.ids].filter((id) => !isRunId(id))).toEqual([]);
      // Most generated requests are refused, and some get through: the fuzz reaches the handlers.
      expect(seen["4xx"] ?? 0).toBeGreaterThan(runs / 2);
      expect(seen["2xx"] ?? 0).toBeGreaterThan(10);
      console.log(`[http-fuzz] seed ${fuzzSeed}, ${runs} requests: ${JSON.stringify(seen)}`);
    },
    propertyTimeout,
  );
});

describe("POST /runs/import of damaged exports (SQLite host)", () => {
  const damage = fc.oneof(
    mutation.map((m) => ({ kind: "text" as const, m })),
    fc
      .record({
        i: fc.nat(),
        key: fc.constantFrom(
          "action",
          "actionId",
          "output",
          "interruptId",
          "value",
          "signalId",
          "name",
          "workflow",
          "input",
          "version",
          "type",
          "error",
        ),
        value: fc.oneof(
          fc.constant(undefined),
          fc.jsonValue({ maxDepth: 2 }),
          fc.constantFrom(...EVENT_TYPES),
        ),
      })
      .map((d) => ({ kind: "resigned" as const, ...d })),
  );

  // Fails until importRun checks each event's shape (reported): a re-signed export with, say, a
  // RunStarted whose workflow is an object, or an ActionFailed with nothing pending, answers 500.
  it(
    "never answers 5xx; a refused import writes nothing, and an accepted one has a valid run id",
    async () => {
      await settle();
      const source = await host.exportRun("appr-1");
      let base = await fingerprint();
      const seen: Record<string, number> = {};
      let n = 0;
      await fc.assert(
        fc.asyncProperty(damage, fc.boolean(), async (d, withRunId) => {
          const text =
            d.kind === "text"
              ? mutate(source, d.m)
              : await resign(source, (events) =>
                  events.map((e, k) => {
                    if (k !== d.i % events.length) return e;
                    const event = { ...(e.event as Record<string, unknown>) };
                    if (d.value === undefined) delete event[d.key];
                    else event[d.key] = d.value;
                    return { ...e, event };
                  }),
                );
          const query = withRunId ? `?runId=imp-${n++}` : "";
          const r = await app.fetch(
            new Request(`http://runlog.test/runs/import${query}`, {
              method: "POST",
              headers: { authorization: AUTH, "content-type": "application/x-ndjson" },
              body: text,
            }),
          );
          const body = await r.text();
          seen[`${d.kind} ${r.status}`] = (seen[`${d.kind} ${r.status}`] ?? 0) + 1;
          expect(
            r.status,
            `${JSON.stringify(d).slice(0, 200)} → ${body.slice(0, 200)}`,
          ).toBeLessThan(500);
          if (r.status >= 400) {
            expect((await fingerprint()).logical).toBe(base.logical);
          } else {
            await settle();
            base = await fingerprint();
          }
        }),
        { seed: fuzzSeed, numRuns: soak ? 2000 : 300 },
      );
      expect(internal).toEqual([]);
      expect([...spy.ids].filter((id) => !isRunId(id))).toEqual([]);
      console.log(`[http-fuzz] import: ${JSON.stringify(seen)}`);
    },
    propertyTimeout,
  );
});

describe("bodies over the limits, over real HTTP", () => {
  const call = (p: string, init: RequestInit) => server.call(p, init);
  const json = { "content-type": "application/json", authorization: AUTH };

  it("takes a body of exactly the limit and refuses one byte more with 413 (by Content-Length)", async () => {
    await settle();
    const fill = (bytes: number) => {
      const shell = JSON.stringify({ value: "" });
      return JSON.stringify({ value: "x".repeat(bytes - shell.length) });
    };
    await host.start("demo.signal", { name: "never" }, { runId: "limit-1", wait: true });
    const before = await fingerprint();
    const over = await call("/runs/limit-1/signals/big", {
      method: "POST",
      headers: json,
      body: fill(BODY_LIMIT + 1),
    });
    expect(over.status).toBe(413);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe(
      "payload_too_large",
    );
    expect(await fingerprint()).toEqual(before);
    const at = await call("/runs/limit-1/signals/big", {
      method: "POST",
      headers: { ...json, "idempotency-key": "at-limit" },
      body: fill(BODY_LIMIT),
    });
    expect(at.status).toBe(202);
  });

  it("refuses an import over its own limit with 413, and a large JSON body on every write route", async () => {
    await settle();
    const before = await fingerprint();
    const big = "x".repeat(IMPORT_LIMIT + 1);
    const imported = await call("/runs/import", {
      method: "POST",
      headers: { "content-type": "application/x-ndjson", authorization: AUTH },
      body: big,
    });
    expect(imported.status).toBe(413);
    const huge = JSON.stringify({ value: "y".repeat(BODY_LIMIT) });
    for (const p of [
      "/runs",
      "/runs/appr-1/resume",
      "/runs/sig-1/signals/go",
      "/runs/appr-1/cancel",
      "/runs/appr-1/fork",
      "/runs/appr-1/resume-tokens",
    ]) {
      const r = await call(p, { method: "POST", headers: json, body: huge });
      expect([p, r.status]).toEqual([p, 413]);
    }
    expect(await fingerprint()).toEqual(before);
  });
});

/** A body that streams `bytes` of JSON without a Content-Length. */
function streamedBody(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"value":"'));
    },
    pull(controller) {
      if (sent >= bytes) {
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
        return;
      }
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

describe("streamed bodies over the limit, over real HTTP", () => {
  const json = { "content-type": "application/json", authorization: AUTH };
  const stream = (p: string) =>
    server.call(p, {
      method: "POST",
      headers: json,
      body: streamedBody(BODY_LIMIT * 4),
      duplex: "half",
    } as RequestInit);

  it("refuses a streamed body without Content-Length once it passes the limit, writing nothing", async () => {
    await settle();
    const before = await fingerprint();
    const response = await stream("/runs/sig-1/signals/streamed");
    expect(response.status).toBe(413);
    await response.arrayBuffer();
    expect(await fingerprint()).toEqual(before);
  });

  // hono's bodyLimit cancels the refused request stream, which destroys the socket: a 413 that said
  // `Connection: keep-alive` left pooled clients failing their next request ("other side closed").
  it("either closes the connection it refused a streamed body on, or keeps it usable", async () => {
    const { port } = new URL(server.url);
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    let received = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (received += chunk));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    const head = (method: string, p: string, extra: string) =>
      `${method} ${p} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: ${AUTH}\r\n${extra}\r\n`;
    socket.write(
      head(
        "POST",
        "/runs/sig-1/signals/streamed",
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
      ),
    );
    const chunk = "x".repeat(16 * 1024);
    for (let i = 0; i < 8 && !received.includes("\r\n\r\n"); i++) {
      socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const deadline = Date.now() + 2000;
    while (!/\r\n\r\n[\s\S]*\}$/.test(received) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(received).toMatch(/^HTTP\/1\.1 413/);
    const first = received;
    const saysClose = /\r\nconnection: close\r\n/i.test(first.split("\r\n\r\n")[0] as string);
    if (saysClose) {
      await closed;
      return;
    }
    // It said keep-alive: the same connection must answer the next request.
    socket.write(head("GET", "/runs/sig-1", ""));
    const answered = await Promise.race([
      new Promise<boolean>((resolve) => {
        const check = setInterval(() => {
          if (
            received.length > first.length &&
            /HTTP\/1\.1 200/.test(received.slice(first.length))
          ) {
            clearInterval(check);
            resolve(true);
          }
        }, 10);
        void closed.then(() => {
          clearInterval(check);
          resolve(false);
        });
      }),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000)),
    ]);
    socket.destroy();
    expect(answered, "a 413 with Connection: keep-alive, then the connection was dropped").toBe(
      true,
    );
  });
});
