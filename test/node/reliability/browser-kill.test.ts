// The browser process killed in the middle of a run: a real Chromium with a profile on disk loads
// a page running a browser host on IndexedDB (test/browser/browser-kill-page.ts); while the page's
// tool is executing, the whole browser gets SIGKILL. A new Chromium on the same profile loads the
// page again, its host recovers the run, and the run ends as a crash-free one: the actions whose
// outcome was committed before the kill are not run again, the one in flight runs again with its
// own action id, one request and one outcome per action, verify passing.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright";
import { build, defaultClientConditions } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserKillPage, PageExec } from "../../support/browser-kill-types.ts";
import { CHROMIUM_ARGS } from "../../support/chromium.ts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", ...CHROMIUM_ARGS, "--remote-debugging-port=0"];
const N = 3;

const dir = mkdtempSync(join(tmpdir(), "runlog-browser-kill-"));
const dist = join(dir, "dist");
let server: Server;
let base = "";
const alive = new Set<ChildProcess>();

/** The page, bundled with Vite as the source export condition resolves it. */
async function buildPage(): Promise<void> {
  await build({
    configFile: false,
    logLevel: "warn",
    root: ROOT,
    resolve: { conditions: ["runlog-source", ...defaultClientConditions] },
    build: {
      outDir: dist,
      emptyOutDir: true,
      minify: false,
      rollupOptions: {
        input: join(ROOT, "test/browser/browser-kill-page.ts"),
        output: { entryFileNames: "page.js", format: "es" },
      },
    },
  });
}

function serve(): Promise<void> {
  server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end('<!doctype html><title>kill</title><script type="module" src="/page.js"></script>');
      return;
    }
    const file = normalize(join(dist, path));
    if (!file.startsWith(dist + sep) || extname(file) !== ".js") {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  await buildPage();
  await serve();
}, 120_000);

afterAll(async () => {
  for (const child of alive) killGroup(child);
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function killGroup(child: ChildProcess): void {
  try {
    // The browser and every process it started: its own process group.
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
  alive.delete(child);
}

/** A Chromium of its own on `profile`, reached over CDP, with the page loaded. */
async function launch(
  profile: string,
): Promise<{ child: ChildProcess; browser: Browser; page: Page }> {
  const child = spawn(CHROMIUM, [...ARGS, `--user-data-dir=${profile}`, "about:blank"], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  alive.add(child);
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (found?.[1]) resolve(found[1]);
    });
    child.once("exit", (code) =>
      reject(new Error(`chromium exited (${code}): ${text.slice(-400)}`)),
    );
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(base);
  await page.waitForFunction(() => "browserKill" in globalThis);
  return { child, browser, page };
}

/** SIGKILL to the whole browser, as a crash or the OS killing it would. */
async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  killGroup(child);
  await exited;
}

type Win = { browserKill: BrowserKillPage };

describe("the browser killed in the middle of a run (IndexedDB on disk, Chromium)", () => {
  it.each([0, 1, 2])(
    "recovers a run whose tool %i was executing when the browser got SIGKILL",
    async (holdFrom) => {
      const profile = mkdtempSync(join(dir, "profile-"));
      const name = "runlog-kill";
      const runId = `killed-${holdFrom}`;

      const first = await launch(profile);
      await first.page.evaluate(
        ([n, r, count, from]) =>
          (globalThis as unknown as Win).browserKill.start(n, r, count, from),
        [name, runId, N, holdFrom] as const,
      );
      await first.page.waitForFunction(
        (count) => (globalThis as unknown as Win).browserKill.execs.length === count,
        holdFrom + 1,
        { timeout: 60_000 },
      );
      const before = await first.page.evaluate(
        () => (globalThis as unknown as Win).browserKill.execs,
      );
      await kill(first.child);
      await first.browser.close().catch(() => undefined);

      const second = await launch(profile);
      const settled = await second.page.evaluate(
        ([n, r]) => (globalThis as unknown as Win).browserKill.settle(n, r),
        [name, runId] as const,
      );
      const after: PageExec[] = await second.page.evaluate(
        () => (globalThis as unknown as Win).browserKill.execs,
      );
      await kill(second.child);
      await second.browser.close().catch(() => undefined);

      const id = (i: number) => `${runId}:${2 + 2 * i}`;
      // Before the kill: the answered actions and the one in flight, each once.
      expect(before).toEqual(
        Array.from({ length: holdFrom + 1 }, (_, i) => ({ actionId: id(i), attempt: 0, i })),
      );
      // After it: the one in flight again with its own id, then the rest; nothing recorded re-run.
      expect(after).toEqual(
        Array.from({ length: N - holdFrom }, (_, k) => ({
          actionId: id(holdFrom + k),
          attempt: 0,
          i: holdFrom + k,
        })),
      );
      expect(settled.verified, settled.verifyMessage).toBe(true);
      expect(settled.status).toBe("completed");
      expect(settled.output).toEqual([{ done: { i: 0 } }, { done: { i: 1 } }, { done: { i: 2 } }]);
      const events = settled.events as {
        seq: number;
        event: { type: string; actionId?: string };
      }[];
      expect(events.map((se) => se.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.map((se) => se.event.type)).toEqual([
        "RunStarted",
        ...Array.from({ length: N }, () => ["ActionRequested", "ActionSucceeded"]).flat(),
        "Completed",
      ]);
      expect(events.filter((se) => se.event.actionId).map((se) => se.event.actionId)).toEqual(
        Array.from({ length: N }, (_, i) => [id(i), id(i)]).flat(),
      );
    },
    120_000,
  );
});
