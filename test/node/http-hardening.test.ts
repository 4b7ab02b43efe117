// The HTTP API's defences, over real HTTP on 127.0.0.1: the Host/Origin check that stops DNS
// rebinding while auth is off, 507 when SQLite is full (data kept, service back once space is),
// the request log that writes no query values, and the server's cut-off for slow request bodies.
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { type Json, MAX_JSON_DEPTH } from "runlog";
import { createRunApi } from "runlog/http";
import { canonicalJson, eventLine, hashEvents, sequence } from "runlog/store-kit";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeHost, SqliteStore } from "../../adapters/node/index.ts";
import { JSON_HEADERS, json, makeDemoHost, post } from "../support/http-api-cases.ts";
import { listen } from "../support/http-server.ts";
import { startServer, until } from "../support/server-process.ts";

const dir = mkdtempSync(join(tmpdir(), "runlog-http-hardening-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A request with headers fetch will not send (Host): node:http, answered status and body. */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: options.method ?? "GET",
      headers: options.headers ?? {},
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("the Host check without a token (DNS rebinding)", () => {
  it("answers loopback names on any port and refuses other Host and Origin values with 403", async () => {
    const host = makeDemoHost();
    const server = await listen(createRunApi({ host }).fetch);
    try {
      const port = new URL(server.url).port;
      for (const name of [
        `127.0.0.1:${port}`,
        `localhost:${port}`,
        `[::1]:${port}`,
        "app.localhost",
      ])
        expect([
          name,
          (await raw(`${server.url}/runs`, { headers: { host: name } })).status,
        ]).toEqual([name, 200]);
      for (const name of [
        `evil.example:${port}`,
        "evil.example",
        "127.0.0.1.evil.example",
        `10.0.0.1:${port}`,
      ]) {
        const r = await raw(`${server.url}/runs`, { headers: { host: name } });
        expect([name, r.status]).toEqual([name, 403]);
        const { error } = JSON.parse(r.body);
        expect(error.code).toBe("forbidden");
        expect(error.message).toMatch(/DNS rebinding.*RUNLOG_ALLOWED_HOSTS/);
      }
      // The page's origin counts too, on reads and writes alike; the server's own pages pass.
      const evil = await raw(`${server.url}/runs`, {
        headers: { origin: "http://evil.example:8080" },
      });
      expect(evil.status).toBe(403);
      const own = await raw(`${server.url}/runs`, { headers: { origin: server.url } });
      expect(own.status).toBe(200);
      const before = (await host.list()).runs.length;
      const write = await raw(`${server.url}/runs`, {
        method: "POST",
        headers: { ...JSON_HEADERS, host: "evil.example" },
        body: JSON.stringify({ workflow: "demo.signal" }),
      });
      expect(write.status).toBe(403);
      expect((await host.list()).runs.length).toBe(before);
    } finally {
      await server.close();
      await host.close();
    }
  });

  it("answers the names of allowedHosts, and any name once a token is set", async () => {
    const host = makeDemoHost();
    const allowed = await listen(
      createRunApi({ host, allowedHosts: ["runlog.lan", ".corp.example"] }).fetch,
    );
    const guarded = await listen(createRunApi({ host, auth: { token: "t0ken" } }).fetch);
    try {
      for (const [name, status] of [
        ["runlog.lan:8787", 200],
        ["a.corp.example", 200],
        ["corp.example", 200],
        ["evilcorp.example", 403],
        ["runlog.lan.evil.example", 403],
      ] as const)
        expect([
          name,
          (await raw(`${allowed.url}/runs`, { headers: { host: name } })).status,
        ]).toEqual([name, status]);
      const r = await raw(`${guarded.url}/runs`, {
        headers: { host: "evil.example", authorization: "Bearer t0ken" },
      });
      expect(r.status).toBe(200);
    } finally {
      await allowed.close();
      await guarded.close();
      await host.close();
    }
  });
});

describe("the depth limit on import", () => {
  it("refuses a correctly signed export whose line nests past the limit, and takes one at the limit", async () => {
    const host = makeDemoHost();
    const server = await listen(createRunApi({ host }).fetch);
    const exportOf = async (runId: string, depth: number) => {
      let value: Json = "leaf";
      for (let i = 0; i < depth; i++) value = [value];
      const events = sequence(
        [
          { type: "RunStarted", workflow: "demo.signal", input: { name: "never" }, version: 1 },
          { type: "SignalReceived", name: "deep", value, signalId: "s-1" },
        ],
        0,
        1_700_000_000_000,
      );
      const header = {
        format: "runlog.run",
        version: 1,
        runId,
        head: 2,
        hash: await hashEvents(events),
      };
      return `${canonicalJson(header)}\n${events.map((se) => eventLine(se)).join("\n")}\n`;
    };
    const send = (body: string) =>
      server.call("/runs/import", {
        method: "POST",
        headers: { "content-type": "application/x-ndjson" },
        body,
      });
    try {
      const refused = await send(await exportOf("too-deep", 400));
      expect(refused.status).toBe(400);
      expect((await json(refused)).error.message).toMatch(
        /line 3 of the export nests .* levels deep/,
      );
      expect((await server.call("/runs/too-deep")).status).toBe(404);
      expect((await send(await exportOf("at-limit", MAX_JSON_DEPTH))).status).toBe(201);
    } finally {
      await server.close();
      await host.close();
    }
  });
});

describe("full storage", () => {
  it("answers 507 storage_full while SQLite is full, keeps what was stored, and serves again once there is space", async () => {
    const path = join(dir, "full.db");
    const db = new BetterSqlite3(path);
    const host = await createNodeHost({ store: new SqliteStore({ database: db }), demos: true });
    const seen: unknown[] = [];
    const server = await listen(createRunApi({ host, onError: (e) => seen.push(e) }).fetch);
    try {
      const kept = await post(server.call, "/runs?wait=true", {
        workflow: "demo.approval",
        input: { text: "kept" },
        runId: "kept",
      });
      expect(kept.status).toBe(201);
      const pages = db.pragma("page_count", { simple: true }) as number;
      db.pragma(`max_page_count = ${pages}`);
      const big = { workflow: "demo.approval", input: { text: "x".repeat(90_000) } };
      const full = await post(server.call, "/runs", { ...big, runId: "too-much" });
      expect(full.status).toBe(507);
      const { error } = await json(full);
      expect(error.code).toBe("storage_full");
      expect(error.message).toMatch(/storage is full/);
      expect(seen).toHaveLength(1);
      expect((await server.call("/runs/too-much")).status).toBe(404);
      expect(await json(await server.call("/runs/kept"))).toMatchObject({ status: "blocked" });
      db.pragma("max_page_count = 1073741823");
      expect((await post(server.call, "/runs", { ...big, runId: "after" })).status).toBe(201);
    } finally {
      await server.close();
      await host.close();
      db.close();
    }
  });
});

describe("the Node server (apps/server, as npm start runs it)", () => {
  it("logs the path and the query's parameter names, never a value", async () => {
    const server = await startServer({ RUNLOG_DB: join(dir, "log.db") });
    try {
      const r = await fetch(`${server.url}/runs?limit=5&sig=v4lue-s3cr3t&rt=eyJhbGciOi`);
      expect(r.status).toBe(200);
      await until(async () => /GET \/runs\?/.test(server.output()), 10_000, "the log line");
      expect(server.output()).toMatch(/GET \/runs\?limit&sig&rt 200/);
      expect(server.output()).not.toMatch(/v4lue|eyJh|limit=5/);
    } finally {
      server.child.kill("SIGKILL");
      await server.exited;
    }
  }, 60_000);

  it("answers 408 and closes a connection whose body does not arrive within RUNLOG_REQUEST_TIMEOUT_MS", async () => {
    const server = await startServer({
      RUNLOG_DB: join(dir, "slow.db"),
      RUNLOG_REQUEST_TIMEOUT_MS: "1000",
    });
    try {
      const { port } = new URL(server.url);
      const started = Date.now();
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), "127.0.0.1");
        let text = "";
        socket.setEncoding("utf8");
        socket.on("data", (chunk: string) => {
          text += chunk;
        });
        socket.on("close", () => resolve(text));
        socket.on("error", reject);
        // Headers promise 1,000 bytes; only a few ever come.
        socket.write(
          "POST /runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
        );
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      // Cut off long before Node's default of 300 s (the bound is loose: the machine may be busy).
      expect(Date.now() - started).toBeLessThan(60_000);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      server.child.kill("SIGKILL");
      await server.exited;
    }
  }, 90_000);
});
