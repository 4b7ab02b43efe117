// The three examples as a user meets them: runlog packed into a tarball, installed into copies of
// examples/ outside this repository, type-checked against the published .d.ts, and run: the Node
// service over HTTP, the Worker under `wrangler dev`, the web app built by Vite in real Chromium.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, chromiumPath } from "../../support/chromium.ts";
import {
  bin,
  EXAMPLES,
  installExamples,
  OFFLINE_ENV,
  packRunlog,
  ROOT,
  run,
  waitForOutput,
} from "../../support/consumer-install.ts";

const base = mkdtempSync(join(tmpdir(), "runlog-consumer-"));
const work = join(base, "work");
const children: ChildProcess[] = [];

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, of several shapes.
type Body = Record<string, any>;

async function call(url: string, method = "GET", body?: unknown, headers = {}) {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

/** Polls `GET url` until `done` holds of its answer. */
async function until(url: string, done: (body: Body) => boolean, what: string): Promise<Body> {
  let last: Body = {};
  for (let i = 0; i < 600; i++) {
    try {
      last = (await call(url)).body;
      if (done(last)) return last;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not happen; last answer: ${JSON.stringify(last)}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function start(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...OFFLINE_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return child;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

beforeAll(async () => {
  const tarball = await packRunlog(base);
  await installExamples(work, tarball);
}, 600_000);

afterAll(async () => {
  await Promise.all(children.map(stop));
  rmSync(base, { recursive: true, force: true });
}, 60_000);

describe("the examples, installed from the packed tarball", { timeout: 240_000 }, () => {
  it("depend on runlog by the version this repository is", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    for (const name of EXAMPLES) {
      const manifest = JSON.parse(
        readFileSync(join(ROOT, "examples", name, "package.json"), "utf8"),
      );
      expect(manifest.dependencies.runlog, name).toBe(version);
    }
  });

  it("type-check against the published declarations", async () => {
    const tsc = bin(work, "typescript", "bin/tsc");
    for (const name of EXAMPLES) {
      // The examples skip library checks, as most projects do; here runlog's own .d.ts are checked.
      await run(process.execPath, [tsc, "--noEmit", "-p", ".", "--skipLibCheck", "false"], {
        cwd: join(work, name),
      });
    }
  });

  it("node-service: serves its own workflow over HTTP and completes a run", async () => {
    const dir = join(work, "node-service");
    await run(process.execPath, [bin(work, "typescript", "bin/tsc"), "-p", "."], { cwd: dir });
    const child = start(process.execPath, ["dist/main.js"], dir, {
      PORT: "0",
      RUNLOG_TOKEN: "consumer-token",
      RUNLOG_DB: join(dir, ".data", "runs.db"),
    });
    const [, url] = await waitForOutput(child, /runlog API on (http:\/\/127\.0\.0\.1:\d+)/);
    const auth = { authorization: "Bearer consumer-token" };

    expect((await call(`${url}/runs`)).status).toBe(401);
    const started = await call(
      `${url}/runs?wait=true`,
      "POST",
      { workflow: "refund", input: { orderId: "o-1", amount: 120 }, runId: "r1" },
      auth,
    );
    expect(started).toMatchObject({ status: 201, body: { status: "blocked" } });
    expect(started.body.blocked.interrupt.value).toEqual({
      question: "Refund 120 for order o-1?",
    });
    const resumed = await call(
      `${url}/runs/r1/resume?wait=true`,
      "POST",
      { value: { approved: true } },
      auth,
    );
    expect(resumed.status).toBe(200);
    const done = await call(`${url}/runs/r1`, "GET", undefined, auth);
    expect(done.body).toMatchObject({
      status: "completed",
      output: { refunded: true, note: "refund-o-1-120" },
    });
    await stop(child);
    expect(child.exitCode ?? child.signalCode).not.toBeNull();
  });

  it("node-service: its own tests pass with runlog/testing (a crash at every point included)", async () => {
    const dir = join(work, "node-service");
    await run(process.execPath, [bin(work, "typescript", "bin/tsc"), "-p", "."], { cwd: dir });
    const out = await run(process.execPath, ["--test", "dist/refund.test.js"], { cwd: dir });
    expect(out).toMatch(/# pass 3/);
    expect(out).toMatch(/# fail 0/);
  });

  it("cloudflare-worker: runs under wrangler dev and completes a run with a signal", async () => {
    const dir = join(work, "cloudflare-worker");
    const port = await freePort();
    const inspector = await freePort();
    const wrangler = bin(work, "wrangler", "bin/wrangler.js");
    const child = start(
      process.execPath,
      [
        wrangler,
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--inspector-port",
        String(inspector),
        "--log-level",
        "warn",
      ],
      dir,
    );
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    const url = `http://127.0.0.1:${port}`;
    try {
      await until(`${url}/health`, (body) => body.ok === true, "the Worker to answer /health");
      const started = await call(`${url}/runs?wait=true`, "POST", {
        workflow: "release",
        input: { service: "api", commit: "4f2a9c1e" },
        runId: "rel-1",
      });
      expect(started).toMatchObject({
        status: 201,
        body: { status: "blocked", blocked: { waitSignal: "go" } },
      });
      const signalled = await call(
        `${url}/runs/rel-1/signals/go`,
        "POST",
        { value: { region: "eu" } },
        { "idempotency-key": "go-1" },
      );
      expect(signalled.status).toBe(202);
      const done = await until(
        `${url}/runs/rel-1`,
        (body) => body.status === "completed",
        "the release to complete",
      );
      expect(done.output).toEqual({ live: "api@4f2a9c1 in eu" });
      const listed = await until(
        `${url}/runs`,
        (body) => body.runs?.some((r: Body) => r.runId === "rel-1" && r.status === "completed"),
        "the run index to list the run",
      );
      expect(listed.runs).toHaveLength(1);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nwrangler said:\n${output.slice(-4000)}`);
    } finally {
      await stop(child);
    }
  });

  it("browser-app: a Vite build completes a run in Chromium, through a reload while it waits", async () => {
    const dir = join(work, "browser-app");
    await run(process.execPath, [bin(work, "vite", "bin/vite.js"), "build"], { cwd: dir });
    const server = serveStatic(join(dir, "dist"));
    const url = await new Promise<string>((resolve) =>
      server.listen(0, "127.0.0.1", () =>
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
      ),
    );
    const browser = await chromium.launch({
      ...(chromiumPath() ? { executablePath: chromiumPath() as string } : {}),
      args: [...CHROMIUM_ARGS],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(url);
      await page.fill("#what", "Conference ticket");
      await page.fill("#amount", "450");
      await page.click("button[type=submit]");
      await page.locator("#status", { hasText: "blocked" }).waitFor();
      await expect
        .poll(() => page.textContent("#prompt"))
        .toBe("Approve 450 for Conference ticket? (over the limit)");
      const runId = await page.textContent("#run");

      // The tab goes away while the run waits: the run is still there, still waiting.
      await page.reload();
      await page.locator("#status", { hasText: "blocked" }).waitFor();
      expect(await page.textContent("#run")).toBe(runId);
      expect(await page.isVisible("#approve")).toBe(true);

      await page.click("#approve");
      await page.locator("#status", { hasText: "completed" }).waitFor();
      expect(JSON.parse((await page.textContent("#output")) ?? "null")).toEqual({
        what: "Conference ticket",
        amount: 450,
        approved: true,
      });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  });
});

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".map": "application/json",
};

/** The built app's files over HTTP (what any static host does). */
function serveStatic(root: string) {
  return createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname));
    const file = join(root, path.endsWith("/") ? `${path}index.html` : path);
    try {
      const body = readFileSync(file);
      response.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
}
