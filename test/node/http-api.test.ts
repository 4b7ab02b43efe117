import { Validator } from "@seriousme/openapi-schema-validator";
import { type Host, MAX_JSON_DEPTH } from "runlog";
import { createRunApi } from "runlog/http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Call,
  JSON_HEADERS,
  json,
  makeDemoHost,
  post,
  routeCases,
  SEEDED,
  seedRuns,
  snapshotLogs,
} from "../support/http-api-cases.ts";
import { BAD_REQUESTS } from "../support/http-bad-requests.ts";
import { runContract } from "../support/http-contract-cases.ts";
import { listen, type TestServer } from "../support/http-server.ts";

const { approval, signal } = SEEDED;

let host: Host;
let server: TestServer;
let call: Call;

beforeEach(async () => {
  host = makeDemoHost();
  server = await listen(createRunApi({ host }).fetch);
  call = server.call;
  await seedRuns(call);
});

afterEach(async () => {
  await server.close();
  await host.close();
});

const typesOf = async (runId: string) => (await host.events(runId)).events.map((e) => e.event.type);

describe("the HTTP API's routes over real HTTP", () => {
  it("starts a run without input ({} for a workflow that declares one) and reads empty query parameters as absent", async () => {
    const started = await post(call, "/runs?wait=true", {
      workflow: "demo.signal",
      runId: "no-input",
    });
    expect(started.status).toBe(201);
    expect(await json(started)).toMatchObject({
      runId: "no-input",
      status: "blocked",
      blocked: { waitSignal: "go" },
    });
    const refused = await post(call, "/runs", { workflow: "demo.approval", runId: "no-text" });
    expect(refused.status).toBe(400);
    expect((await json(refused)).error.message).toMatch(/input.text is required/);
    const listed = await call("/runs?status=&limit=&cursor=");
    expect(listed.status).toBe(200);
    expect((await json(listed)).runs.map((r: { runId: string }) => r.runId)).toContain("no-input");
  });

  it("answers GET /health and lists the workflows", async () => {
    expect(await json(await call("/health"))).toEqual({ ok: true });
    const { workflows } = await json(await call("/workflows"));
    expect(workflows.map((w: { name: string }) => w.name).sort()).toEqual([
      "demo.agent",
      "demo.approval",
      "demo.signal",
      "demo.sleep",
    ]);
  });

  it("starts a run with 201, answers the same run id and workflow with 200, and makes ids", async () => {
    const first = await post(call, "/runs", { workflow: "demo.signal", input: {}, runId: "s-2" });
    expect(first.status).toBe(201);
    expect(await json(first)).toMatchObject({ runId: "s-2", workflow: "demo.signal" });
    const again = await post(call, "/runs", { workflow: "demo.signal", input: {}, runId: "s-2" });
    expect(again.status).toBe(200);
    expect((await json(again)).runId).toBe("s-2");
    const made = await json(
      await post(call, "/runs?wait=true", { workflow: "demo.sleep", input: { ms: 0 } }),
    );
    expect(made.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.status).toBe("completed");
    expect(made.output).toEqual({ sleptMs: 0 });
  });

  it("shows a run, its events (flattened, from and limit) and its timeline", async () => {
    const run = await json(await call(`/runs/${approval}`));
    expect(run).toMatchObject({
      runId: approval,
      workflow: "demo.approval",
      status: "blocked",
      head: 4,
    });
    expect(run.blocked.interrupt.value).toEqual({
      question: 'Publish "hello"?',
      draft: { text: "hello" },
    });
    const page = await json(await call(`/runs/${approval}/events?from=2&limit=2`));
    expect(page.head).toBe(4);
    expect(page.events.map((e: { seq: number; type: string }) => [e.seq, e.type])).toEqual([
      [2, "ActionRequested"],
      [3, "ActionSucceeded"],
    ]);
    expect(page.events[1]).toEqual({
      seq: 3,
      ts: expect.any(Number),
      type: "ActionSucceeded",
      actionId: `${approval}:2`,
      output: { text: "hello" },
    });
    const timeline = await json(await call(`/runs/${approval}/timeline`));
    expect(timeline).toMatchObject({ runId: approval, status: "waiting_interrupt", head: 4 });
  });

  it("lists runs newest first, filtered by status, a page at a time", async () => {
    await post(call, "/runs?wait=true", {
      workflow: "demo.sleep",
      input: { ms: 0 },
      runId: "done-1",
    });
    const all = await json(await call("/runs"));
    expect(all.runs.map((r: { runId: string }) => r.runId)).toEqual(["done-1", signal, approval]);
    const completed = await json(await call("/runs?status=completed"));
    expect(completed.runs.map((r: { runId: string }) => r.runId)).toEqual(["done-1"]);
    const first = await json(await call("/runs?limit=2"));
    expect(first.runs).toHaveLength(2);
    const rest = await json(
      await call(`/runs?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`),
    );
    expect(rest.runs.map((r: { runId: string }) => r.runId)).toEqual([approval]);
  });

  it("resumes an interrupt with 200 and then refuses a second answer with 409", async () => {
    const resumed = await post(call, `/runs/${approval}/resume?wait=true`, {
      value: { approved: true },
    });
    expect(resumed.status).toBe(200);
    expect(await json(resumed)).toMatchObject({
      status: "completed",
      output: { approved: true, text: "hello" },
    });
    const again = await post(call, `/runs/${approval}/resume`, { value: { approved: false } });
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe("not_blocked");
  });

  it("takes a signal once per Idempotency-Key, even after it ended the run", async () => {
    const headers = { "idempotency-key": "key-1" };
    const first = await post(call, `/runs/${signal}/signals/go?wait=true`, { value: 42 }, headers);
    expect(first.status).toBe(202);
    expect(await json(first)).toMatchObject({ status: "completed", output: 42 });
    const again = await post(call, `/runs/${signal}/signals/go`, { value: 42 }, headers);
    expect(again.status).toBe(202);
    expect((await typesOf(signal)).filter((t) => t === "SignalReceived")).toHaveLength(1);
    const other = await post(
      call,
      `/runs/${signal}/signals/go`,
      { value: 1 },
      { "idempotency-key": "key-2" },
    );
    expect(other.status).toBe(409);
  });

  it("takes a repeated signal to a live run once", async () => {
    const headers = { "idempotency-key": "k" };
    for (let i = 0; i < 2; i++)
      expect(
        (await post(call, `/runs/${approval}/signals/later`, { value: 1 }, headers)).status,
      ).toBe(202);
    expect((await typesOf(approval)).filter((t) => t === "SignalReceived")).toHaveLength(1);
  });

  it("refuses an Idempotency-Key reused for another signal name or value with 409, appending nothing", async () => {
    const headers = { "idempotency-key": "k-reused" };
    expect(
      (await post(call, `/runs/${approval}/signals/later`, { value: 1 }, headers)).status,
    ).toBe(202);
    const before = await snapshotLogs(host);
    for (const [name, value] of [
      ["later", 2],
      ["other", 1],
    ] as const) {
      const r = await post(call, `/runs/${approval}/signals/${name}`, { value }, headers);
      expect(r.status).toBe(409);
      const { error } = await json(r);
      expect(error.code).toBe("conflict");
      expect(error.message).toMatch(/Idempotency-Key k-reused was already used/);
    }
    // After the run ended too: the same request is still a 202, another one a 409.
    const ended = { "idempotency-key": "k-end" };
    expect(
      (await post(call, `/runs/${signal}/signals/go?wait=true`, { value: 1 }, ended)).status,
    ).toBe(202);
    expect((await post(call, `/runs/${signal}/signals/go`, { value: 1 }, ended)).status).toBe(202);
    expect((await post(call, `/runs/${signal}/signals/go`, { value: 2 }, ended)).status).toBe(409);
    expect((await snapshotLogs(host))[approval]).toEqual(before[approval]);
  });

  it("takes values nested up to the depth limit, and exports and imports them", async () => {
    let value: unknown = "leaf";
    for (let i = 0; i < MAX_JSON_DEPTH; i++) value = [value];
    const sent = await post(call, `/runs/${approval}/signals/deep`, { value });
    expect(sent.status).toBe(202);
    const text = await (await call(`/runs/${approval}/export`)).text();
    const imported = await call("/runs/import?runId=deep-copy", {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body: text,
    });
    expect(imported.status).toBe(201);
    expect((await json(await call("/runs/deep-copy/verify"))).ok).toBe(true);
  });

  it("cancels a run with 200 and refuses to cancel it again with 409", async () => {
    const cancelled = await post(call, `/runs/${signal}/cancel`, { reason: "no longer needed" });
    expect(cancelled.status).toBe(200);
    expect(await json(cancelled)).toMatchObject({ status: "cancelled" });
    expect((await post(call, `/runs/${signal}/cancel`)).status).toBe(409);
  });

  it("forks a run with an alternate answer into a new run that goes on live", async () => {
    const forked = await post(call, `/runs/${approval}/fork?wait=true`, {
      atSeq: 4,
      newRunId: "what-if",
      alternate: [{ type: "Resumed", interruptId: `${approval}:4`, value: { approved: false } }],
    });
    expect(forked.status).toBe(201);
    expect(await json(forked)).toMatchObject({
      runId: "what-if",
      status: "completed",
      output: { approved: false, text: "hello" },
    });
    expect(await typesOf("what-if")).toContain("Forked");
  });

  it("exports NDJSON, imports it as a new run (409 for an id in use), and verifies a run", async () => {
    const exported = await call(`/runs/${approval}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const text = await exported.text();
    expect(JSON.parse(text.split("\n")[0] as string)).toMatchObject({
      format: "runlog.run",
      runId: approval,
      head: 4,
    });
    const ndjson = { "content-type": "application/x-ndjson" };
    const imported = await call("/runs/import?runId=copy-1", {
      method: "POST",
      headers: ndjson,
      body: text,
    });
    expect(imported.status).toBe(201);
    expect(await json(imported)).toMatchObject({ runId: "copy-1", head: 4 });
    expect(
      (await call("/runs/import?runId=copy-1", { method: "POST", headers: ndjson, body: text }))
        .status,
    ).toBe(409);
    expect(await json(await call("/runs/copy-1"))).toMatchObject({ status: "blocked", head: 4 });
    const report = await json(await call(`/runs/${approval}/verify`));
    expect(report).toMatchObject({ ok: true, runId: approval, head: 4 });
  });

  it("answers an unexpected failure with a generic 500 that leaks nothing", async () => {
    const seen: unknown[] = [];
    const broken = Object.create(host) as Host;
    broken.get = async () => {
      throw new Error("database at /var/secret failed with token s3cr3t");
    };
    const other = await listen(createRunApi({ host: broken, onError: (e) => seen.push(e) }).fetch);
    try {
      const r = await other.call(`/runs/${approval}`);
      expect(r.status).toBe(500);
      const text = await r.text();
      expect(JSON.parse(text)).toEqual({
        error: { code: "internal", message: expect.any(String) },
      });
      expect(text).not.toMatch(/secret|s3cr3t|at |Error/);
      expect(seen).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});

describe("the HTTP API's contract (the table the Worker runs too)", () => {
  it("answers every request of the contract table with its status", async () => {
    const { got, want } = await runContract(call, "node");
    expect(got).toEqual(want);
  });
});

describe("the HTTP API's refusals", () => {
  it.each(BAD_REQUESTS)("refuses $name with $status and appends nothing", async (c) => {
    const before = await snapshotLogs(host);
    const headers = c.headers ?? (c.body === undefined ? {} : JSON_HEADERS);
    const r = await call(c.path, {
      method: c.method,
      headers,
      ...(c.body === undefined ? {} : { body: c.body }),
    });
    expect(r.status).toBe(c.status);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await json(r);
    expect(body).toEqual({
      error: { code: c.code ?? expect.any(String), message: expect.any(String) },
    });
    expect(body.error.message.length).toBeGreaterThan(5);
    await host.idle(approval);
    expect(await snapshotLogs(host)).toEqual(before);
  });

  it("names the field and the problem in a validation error", async () => {
    const r = await post(call, "/runs", { workflow: 7, input: {}, colour: "red" });
    const { error } = await json(r);
    expect(error.code).toBe("validation");
    expect(error.message).toContain("workflow");
    expect(error.message).toContain("expected string");
    expect(error.message).toContain('"colour"');
  });

  it("refuses a body over 1 MiB with 413, by Content-Length and by counting a streamed body", async () => {
    const before = await snapshotLogs(host);
    const big = JSON.stringify({
      workflow: "demo.approval",
      input: { text: "x".repeat(1024 * 1024) },
    });
    const sized = await call("/runs", { method: "POST", headers: JSON_HEADERS, body: big });
    expect(sized.status).toBe(413);
    expect((await json(sized)).error.code).toBe("payload_too_large");
    const bytes = new TextEncoder().encode(big);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024)
          controller.enqueue(bytes.slice(i, i + 64 * 1024));
        controller.close();
      },
    });
    const chunked = await call("/runs", {
      method: "POST",
      headers: JSON_HEADERS,
      body: streamed,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    await chunked.arrayBuffer();
    for (let i = 0; i < 3; i++) expect((await call("/health")).status).toBe(200);
    expect(await snapshotLogs(host)).toEqual(before);
  });

  it("takes exactly one of 20 concurrent resumes of one interrupt", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(call, `/runs/${approval}/resume`, { value: { approved: i % 2 === 0 } }),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    await host.idle(approval);
    expect((await typesOf(approval)).filter((t) => t === "Resumed")).toHaveLength(1);
  });
});

describe("the HTTP API's documentation", () => {
  it("serves a valid OpenAPI 3.1 document that lists every route", async () => {
    const doc = await json(await call("/openapi.json"));
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\./);
    const listed = Object.entries(doc.paths as Record<string, object>).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const routes = [{ method: "GET", path: "/health" }, ...routeCases("{id}")].map(
      (r) => `${r.method} ${r.path.replace("/signals/go", "/signals/{name}")}`,
    );
    expect(listed.sort()).toEqual(routes.sort());
    expect(doc.paths["/runs"].post.requestBody.content["application/json"].schema.$ref).toBe(
      "#/components/schemas/StartRunBody",
    );
    expect(doc.components.schemas.StartRunBody.properties.runId).toBeDefined();
  });

  it("describes exactly what the server enforces: ids' patterns and lengths, required values, an id for every operation", async () => {
    const doc = await json(await call("/openapi.json"));
    expect(doc.servers).toEqual([{ url: "/", description: expect.any(String) }]);
    expect(doc.info.license).toMatchObject({ name: "MIT" });
    type Op = { operationId?: string; parameters?: Loose[]; requestBody?: Loose };
    // biome-ignore lint/suspicious/noExplicitAny: the document is read as loose JSON.
    type Loose = Record<string, any>;
    const ops = Object.entries(doc.paths as Record<string, Record<string, Op>>).flatMap(
      ([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );
    const ids = ops.map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const schemas = doc.components.schemas;
    expect(schemas.ResumeBody.required).toEqual(["value"]);
    const alternates = schemas.ForkBody.properties.alternate.items.oneOf as Loose[];
    expect(alternates.map((a) => [a.properties.type.enum[0], a.required.sort()])).toEqual([
      ["StateUpdated", ["payload", "type"]],
      ["Resumed", ["type", "value"]],
      ["SignalReceived", ["name", "signalId", "type", "value"]],
    ]);
    const lastEventId = doc.paths["/runs/{id}/stream"].get.parameters.find(
      (p: Loose) => p.name === "last-event-id",
    );
    expect(lastEventId.schema).toMatchObject({ type: "string", pattern: "^[0-9]{1,16}$" });

    // Requests made from the document: a path parameter it says is too long or off its pattern is
    // refused with 400 by the server, and one within it is not; so is a body missing a field the
    // document calls required.
    for (const { path, method, op } of ops) {
      const params = (op.parameters ?? []).filter((p) => p.in === "path");
      if (params.length === 0) continue;
      const fill = (bad?: { name: string; value: string }) =>
        path.replace(/\{(\w+)\}/g, (_, name: string) =>
          encodeURIComponent(bad?.name === name ? bad.value : name === "id" ? approval : "go"),
        );
      for (const p of params) {
        for (const value of ["x".repeat(p.schema.maxLength + 1), "bad id", "-lead"]) {
          const r = await call(fill({ name: p.name, value }), {
            method: method.toUpperCase(),
            headers: JSON_HEADERS,
            ...(method === "post" ? { body: "{}" } : {}),
          });
          expect([`${method} ${path} ${p.name}=${value.slice(0, 10)}`, r.status]).toEqual([
            `${method} ${path} ${p.name}=${value.slice(0, 10)}`,
            400,
          ]);
        }
      }
      const body = op.requestBody?.content?.["application/json"]?.schema;
      const schema = body?.$ref ? schemas[body.$ref.split("/").pop()] : body;
      for (const field of schema?.required ?? []) {
        const r = await call(fill(), { method: "POST", headers: JSON_HEADERS, body: "{}" });
        expect([`${path} without ${field}`, r.status]).toEqual([`${path} without ${field}`, 400]);
      }
    }
  });

  it("serves a self-contained docs page", async () => {
    const r = await call("/docs");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await r.text();
    expect(html).toContain("/runs/{id}/resume");
    expect(html).toContain("StartRunBody");
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
  });
});
