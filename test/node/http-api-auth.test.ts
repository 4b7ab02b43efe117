import { type Host, mintResumeToken } from "runlog";
import { createRunApi, type RunApiOptions } from "runlog/http";
import { afterEach, describe, expect, it } from "vitest";
import {
  JSON_HEADERS,
  json,
  makeDemoHost,
  post,
  routeCases,
  snapshotLogs,
} from "../support/http-api-cases.ts";
import { listen, type TestServer } from "../support/http-server.ts";

const TOKEN = "test-token-0123456789";
const GOOD = { authorization: `Bearer ${TOKEN}` };

let host: Host;
let server: TestServer;

afterEach(async () => {
  await server.close();
  await host.close();
});

async function start(
  options: Omit<RunApiOptions, "host"> = { auth: { token: TOKEN } },
): Promise<TestServer> {
  host = makeDemoHost();
  server = await listen(createRunApi({ host, ...options }).fetch);
  return server;
}

/** Starts a demo.approval run and waits until it waits on its interrupt. */
async function approval(runId: string, headers: Record<string, string> = GOOD): Promise<void> {
  const r = await post(
    server.call,
    "/runs?wait=true",
    { workflow: "demo.approval", input: { text: runId }, runId },
    headers,
  );
  expect((await json(r)).status).toBe("blocked");
}

async function mint(runId: string): Promise<{ token: string; interruptId: string }> {
  const r = await post(server.call, `/runs/${runId}/resume-tokens`, {}, GOOD);
  expect(r.status).toBe(201);
  return (await json(r)) as { token: string; interruptId: string };
}

const send = (path: string, method: string, headers: Record<string, string>, body?: string) =>
  server.call(path, {
    method,
    headers: { ...JSON_HEADERS, ...headers },
    ...(body === undefined ? {} : { body }),
  });

describe("bearer auth", () => {
  it("guards every route but /health: no token 401, bad token 401, resume token 403 but on its resume, good token let in", async () => {
    await start();
    await approval("appr-1");
    const { token: resumeToken } = await mint("appr-1");
    const routes = routeCases("appr-1");
    const before = await snapshotLogs(host);
    for (const r of routes) {
      const none = await send(r.path, r.method, {}, r.body);
      expect([r.path, none.status]).toEqual([r.path, 401]);
      expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await json(none)).error.code).toBe("unauthorized");
      const bad = await send(r.path, r.method, { authorization: "Bearer nope" }, r.body);
      expect([r.path, bad.status]).toEqual([r.path, 401]);
      const basic = await send(r.path, r.method, { authorization: `Basic ${TOKEN}` }, r.body);
      expect([r.path, basic.status]).toEqual([r.path, 401]);
      if (r.path.endsWith("/resume")) continue;
      const resume = await send(
        r.path,
        r.method,
        { authorization: `Bearer ${resumeToken}` },
        r.body,
      );
      expect([r.path, resume.status]).toEqual([r.path, 403]);
      expect((await json(resume)).error.code).toBe("forbidden");
    }
    expect(await snapshotLogs(host)).toEqual(before);

    const resumed = await send(
      "/runs/appr-1/resume",
      "POST",
      { authorization: `Bearer ${resumeToken}` },
      JSON.stringify({ value: { approved: true } }),
    );
    expect(resumed.status).toBe(200);

    for (const r of routes) {
      const good = await send(r.path, r.method, GOOD, r.body);
      expect([r.path, good.status < 500 && good.status !== 401 && good.status !== 403]).toEqual([
        r.path,
        true,
      ]);
      await good.body?.cancel();
    }
    for (const headers of [
      {},
      { authorization: "Bearer nope" },
      { authorization: `Bearer ${resumeToken}` },
      GOOD,
    ]) {
      expect((await server.call("/health", { headers })).status).toBe(200);
    }
  });

  it("compares the token whole: a prefix, an extension or other case is refused", async () => {
    await start();
    for (const wrong of [TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), ""]) {
      expect(
        (await server.call("/runs", { headers: { authorization: `Bearer ${wrong}` } })).status,
      ).toBe(401);
    }
    expect(
      (await server.call("/runs", { headers: { authorization: `bearer ${TOKEN}` } })).status,
    ).toBe(200);
  });
});

describe("resume tokens", () => {
  it("allow only the resume of their run and interrupt, once, until they expire", async () => {
    let now = Date.now();
    await start({ auth: { token: TOKEN }, now: () => now });
    for (const id of ["appr-1", "appr-2"]) await approval(id);
    const { token, interruptId } = await mint("appr-1");
    expect(interruptId).toBe("appr-1:4");
    const as = (t: string) => ({ authorization: `Bearer ${t}` });
    const answer = JSON.stringify({ value: { approved: true } });
    const before = await snapshotLogs(host);

    const otherRun = await send("/runs/appr-2/resume", "POST", as(token), answer);
    expect(otherRun.status).toBe(403);
    expect((await json(otherRun)).error.message).toContain("another run");
    const otherInterrupt = await send(
      "/runs/appr-1/resume",
      "POST",
      as(token),
      JSON.stringify({ value: true, interruptId: "appr-1:9" }),
    );
    expect(otherInterrupt.status).toBe(403);
    const [head, claims, signature] = token.split(".") as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`;
    for (const tampered of [
      `${head}.${claims}.${flipped}`,
      `${head}.${claims.slice(1)}.${signature}`,
    ]) {
      expect((await send("/runs/appr-1/resume", "POST", as(tampered), answer)).status).toBe(403);
    }
    const foreign = await mintResumeToken("another-secret", {
      runId: "appr-1",
      interruptId,
      ttlMs: 60_000,
      now,
    });
    expect((await send("/runs/appr-1/resume", "POST", as(foreign), answer)).status).toBe(403);
    const wrongInterrupt = await mintResumeToken(TOKEN, {
      runId: "appr-1",
      interruptId: "appr-1:9",
      ttlMs: 60_000,
      now,
    });
    expect((await send("/runs/appr-1/resume", "POST", as(wrongInterrupt), answer)).status).toBe(
      403,
    );
    now += 25 * 3600 * 1000;
    const expired = await send("/runs/appr-1/resume", "POST", as(token), answer);
    expect(expired.status).toBe(403);
    expect((await json(expired)).error.message).toContain("expired");
    expect(await snapshotLogs(host)).toEqual(before);

    now -= 25 * 3600 * 1000;
    const ok = await send("/runs/appr-1/resume", "POST", as(token), answer);
    expect(ok.status).toBe(200);
    expect((await send("/runs/appr-1/resume", "POST", as(token), answer)).status).toBe(409);
    const minted = await post(server.call, "/runs/appr-1/resume-tokens", {}, GOOD);
    expect(minted.status).toBe(409);
  });

  it("are refused with 501 when no secret is configured", async () => {
    await start({});
    await approval("appr-1", {});
    const r = await post(server.call, "/runs/appr-1/resume-tokens", {});
    expect(r.status).toBe(501);
    expect((await json(r)).error.code).toBe("not_configured");
  });
});

describe("cross-origin requests", () => {
  it("get no CORS headers by default, and an open API refuses writes from other origins", async () => {
    await start({});
    const preflight = await server.call("/runs", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const before = await snapshotLogs(host);
    const body = { workflow: "demo.signal", input: {}, runId: "x-1" };
    const evil = await post(server.call, "/runs", body, { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(await snapshotLogs(host)).toEqual(before);
    // Reads from pages of other sites are refused too: the Origin check against DNS rebinding.
    expect(
      (await server.call("/runs", { headers: { origin: "https://evil.example" } })).status,
    ).toBe(403);
    expect((await post(server.call, "/runs", body, { origin: server.url })).status).toBe(201);
  });

  it("are let in from the configured origins", async () => {
    await start({ auth: { token: TOKEN }, cors: { origins: ["https://ui.example"] } });
    const preflight = await server.call("/runs", {
      method: "OPTIONS",
      headers: {
        origin: "https://ui.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://ui.example");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain(
      "authorization",
    );
    const get = await server.call("/runs", { headers: { ...GOOD, origin: "https://ui.example" } });
    expect(get.headers.get("access-control-allow-origin")).toBe("https://ui.example");
    const other = await server.call("/runs", {
      headers: { ...GOOD, origin: "https://evil.example" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
