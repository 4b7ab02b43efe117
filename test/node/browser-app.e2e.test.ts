// The in-browser app end to end: the BUILT app (apps/browser/dist) served under /app/ on
// 127.0.0.1, driven in a real Chromium. It reads the log only through the UI (the timeline's
// rows and the NDJSON export), never through globals of the page.
import { existsSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS } from "../support/chromium.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const APP = join(ROOT, "apps/browser");
const DIST = join(APP, "dist");
const SHOTS = join(ROOT, "test-results/screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

/** The newest modification time of the files under `dir` (skipping dist and node_modules). */
async function newest(dir: string): Promise<number> {
  let latest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    latest = Math.max(
      latest,
      entry.isDirectory() ? await newest(path) : (await stat(path)).mtimeMs,
    );
  }
  return latest;
}

/** Builds the app when dist is missing or older than its sources, the browser adapter or the core. */
async function ensureBuilt(): Promise<void> {
  const index = join(DIST, "index.html");
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(
    ...(await Promise.all(
      [APP, join(ROOT, "apps/ui-kit"), join(ROOT, "adapters/idb"), join(ROOT, "src")].map(newest),
    )),
  );
  if (built >= sources && existsSync(join(DIST, "sw.js"))) return;
  await build({ configFile: join(APP, "vite.config.ts"), logLevel: "warn" });
}

/** A static server for dist under /app/; `down` makes it drop every connection, like no network. */
function serveDist(): Promise<{ server: Server; base: string; setDown(down: boolean): void }> {
  let down = false;
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    if (down) {
      req.socket.destroy();
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (path === "/app") {
      res.writeHead(301, { location: "/app/" }).end();
      return;
    }
    if (!path.startsWith("/app/")) {
      res.writeHead(404).end("not found");
      return;
    }
    const rel = path.slice("/app/".length) || "index.html";
    const file = normalize(join(DIST, rel));
    if (!file.startsWith(DIST + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-cache",
      });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        base: `http://127.0.0.1:${port}/app/`,
        setDown(value) {
          down = value;
          if (value) for (const s of sockets) s.destroy();
        },
      });
    });
  });
}

// A real Chromium on a loaded machine: waits are generous (vitest's poll default is 1 s).
const POLL = { timeout: 15_000, interval: 50 };

let browser: Browser;
let site: Awaited<ReturnType<typeof serveDist>>;
const contexts: BrowserContext[] = [];

async function newPage(context?: BrowserContext): Promise<Page> {
  const ctx = context ?? (await browser.newContext({ viewport: { width: 1360, height: 860 } }));
  if (!context) contexts.push(ctx);
  const page = await ctx.newPage();
  page.on("pageerror", (error) => console.error("page error:", error.message));
  return page;
}

async function openApp(page: Page): Promise<void> {
  await page.goto(site.base);
  await page.locator(".workflow-card").first().waitFor();
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `browser-${name}.png`), animations: "disabled" });
}

/** Fills the start form of `workflow` and starts it; answers the new run's id. */
async function startRun(page: Page, workflow: string, fields: Record<string, string> = {}) {
  await page.goto(`${site.base}#/`);
  const card = page.locator(`form.workflow-card[data-workflow="${workflow}"]`);
  for (const [name, value] of Object.entries(fields)) {
    await card.locator(`[name="${name}"]`).fill(value);
  }
  await card.locator("button[type=submit]").click();
  await page.waitForURL(/#\/run\//);
  await page.locator(".run .run-head").waitFor();
  return decodeURIComponent(new URL(page.url()).hash.replace("#/run/", ""));
}

const statusOf = (page: Page) => page.locator(".run-head .pill").getAttribute("data-status");
const rows = (page: Page, type: string) => page.locator(`li.event[data-type="${type}"]`);

/** Downloads the open run's export through the Export button. */
async function exportOpenRun(page: Page): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator('[data-action="export"]').click(),
  ]);
  return {
    name: download.suggestedFilename(),
    text: await readFile(await download.path(), "utf8"),
  };
}

interface Line {
  seq: number;
  event: {
    type: string;
    actionId?: string;
    action?: { type: string; tool?: string; input?: unknown };
  };
}

function parseExportText(text: string): { header: { hash: string; head: number }; events: Line[] } {
  const [first, ...rest] = text.trim().split("\n");
  return { header: JSON.parse(first as string), events: rest.map((l) => JSON.parse(l) as Line) };
}

/** Seqs 1..n and one ActionRequested and one outcome per action id. */
function expectValidLog(events: Line[]): void {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  const requested = events
    .filter((e) => e.event.type === "ActionRequested")
    .map((e) => e.event.actionId);
  const outcomes = events
    .filter((e) => e.event.type === "ActionSucceeded" || e.event.type === "ActionFailed")
    .map((e) => e.event.actionId);
  expect(new Set(requested).size).toBe(requested.length);
  expect([...outcomes].sort()).toEqual([...requested].sort());
}

describe.skipIf(!existsSync(CHROMIUM))(
  "the in-browser app (built, in Chromium)",
  { timeout: 60_000 },
  () => {
    beforeAll(async () => {
      await mkdir(SHOTS, { recursive: true });
      await ensureBuilt();
      site = await serveDist();
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [...CHROMIUM_ARGS],
      });
    }, 60_000);

    afterAll(async () => {
      await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
      await browser?.close();
      await new Promise((resolve) => site?.server.close(resolve));
    }, 30_000);

    it("continues demo.sleep after a reload mid-sleep and completes it exactly once", async () => {
      const page = await newPage();
      await openApp(page);
      await shot(page, "start-empty");
      await startRun(page, "demo.sleep", { ms: "2500" });
      await page.locator('[data-panel="waiting"]').waitFor();
      expect(await statusOf(page)).toBe("blocked");
      await shot(page, "sleeping");
      await page.reload();
      await page.locator('.run-head .pill[data-status="completed"]').waitFor({ timeout: 20_000 });
      await expect.poll(() => rows(page, "Completed").count(), POLL).toBe(1);
      expect(await rows(page, "ActionRequested").count()).toBe(1);
      expect(await rows(page, "ActionSucceeded").count()).toBe(1);
      await page.locator('[data-role="verdict"][data-verified="true"]').waitFor();
      await shot(page, "completed");
    });

    it("approves demo.approval with the button, and the agent's publish with edited arguments", async () => {
      const page = await newPage();
      await openApp(page);
      await startRun(page, "demo.approval", { text: "Ship the v2.4 release notes" });
      await page.locator('[data-action="approve"]').waitFor();
      await shot(page, "approval");
      await page.locator('[data-action="approve"]').click();
      await page.locator('.run-head .pill[data-status="completed"]').waitFor();
      await expect(rows(page, "Resumed").innerText()).resolves.toContain("Approved");
      await expect(page.locator(".attention-completed").innerText()).resolves.toContain("Approved");

      await startRun(page, "demo.agent", { task: "Q3 launch status" });
      const approve = page.locator('[data-action="approve"]');
      await approve.waitFor();
      await expect(page.locator(".attention .tool-name").innerText()).resolves.toBe("publish");
      await shot(page, "agent-approval");
      await page.locator('[data-action="edit"]').click();
      await page
        .locator(".args-editor")
        .fill(JSON.stringify({ title: "Q3 launch: on track", body: "Edited before publishing." }));
      await shot(page, "agent-edit");
      await approve.click();
      await page.locator('.run-head .pill[data-status="completed"]').waitFor();
      await expect(page.locator(".attention .answer").innerText()).resolves.toContain("Published");
      const { events } = parseExportText((await exportOpenRun(page)).text);
      const publish = events.find((e) => e.event.action?.tool === "publish");
      expect(publish?.event.action?.input).toEqual({
        title: "Q3 launch: on track",
        body: "Edited before publishing.",
      });
      expectValidLog(events);
      await page.locator('[data-role="verdict"][data-verified="true"]').waitFor();
      await shot(page, "agent-done");

      // A signal run cancelled with the two-step button, and a long sleep left waiting.
      await startRun(page, "demo.signal", { name: "later" });
      await page.locator('[data-action="cancel"]').click();
      await page.locator('[data-action="cancel"]').click();
      await page.locator('.run-head .pill[data-status="cancelled"]').waitFor();
      await startRun(page, "demo.sleep", { ms: "600000" });
      await page.goto(`${site.base}#/`);
      await expect.poll(() => page.locator(".run-item").count(), POLL).toBe(4);
      const statuses = await page
        .locator(".run-item")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-status")));
      expect(statuses).toEqual(["blocked", "cancelled", "completed", "completed"]);
      await shot(page, "start");
    });

    it("lets one of two pages drive a run while the other follows it live", async () => {
      const a = await newPage();
      await openApp(a);
      const runId = await startRun(a, "demo.agent", { task: "Two tabs, one run" });
      await a.locator('[data-action="approve"]').waitFor();
      const b = await newPage(a.context());
      await b.goto(`${site.base}#/run/${encodeURIComponent(runId)}`);
      await b.locator('[data-action="approve"]').waitFor();
      const before = await rows(b, "ActionRequested").count();
      // A answers; B must see the rest arrive without a reload.
      await a.locator('[data-action="approve"]').click();
      await b.locator('.run-head .pill[data-status="completed"]').waitFor();
      expect(await rows(b, "ActionRequested").count()).toBeGreaterThan(before);
      await expect.poll(() => rows(a, "Completed").count(), POLL).toBe(1);
      const seqsA = await a
        .locator("li.event")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-type")));
      const seqsB = await b
        .locator("li.event")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-type")));
      expect(seqsB).toEqual(seqsA);
      await b.locator(`.run-item[data-run-id="${runId}"][data-status="completed"]`).waitFor();
      await shot(b, "second-tab");
      const { events } = parseExportText((await exportOpenRun(b)).text);
      expectValidLog(events);
      expect(events.filter((e) => e.event.type === "Completed")).toHaveLength(1);
      expect(events.filter((e) => e.event.type === "Resumed")).toHaveLength(1);
    });

    it("loads offline after the first visit, with its runs", async () => {
      const page = await newPage();
      await openApp(page);
      const runId = await startRun(page, "demo.signal", { name: "go" });
      await page.locator('[data-action="send-signal"]').waitFor();
      // The page's own service worker API, as a string: Node's types have no navigator.
      await page.evaluate("navigator.serviceWorker.ready.then(() => true)");
      await page.context().setOffline(true);
      site.setDown(true);
      try {
        await page.reload();
        await page.locator(`.run-item[data-run-id="${runId}"]`).waitFor();
        await page.locator('[data-action="send-signal"]').waitFor();
        await expect(page.locator(".net").innerText()).resolves.toContain("Offline");
        await shot(page, "offline");
        // Still works offline: the run takes its signal and completes.
        await page.locator('[data-role="signal-value"]').fill('"offline and fine"');
        await page.locator('[data-action="send-signal"]').click();
        await page.locator('.run-head .pill[data-status="completed"]').waitFor();
        expect(await rows(page, "SignalReceived").count()).toBe(1);
      } finally {
        site.setDown(false);
        await page.context().setOffline(false);
      }
    });

    it("exports a run and imports it into a fresh browser profile, where its hash verifies", async () => {
      const page = await newPage();
      await openApp(page);
      await startRun(page, "demo.approval", { text: "Carry me to another browser" });
      await page.locator('[data-action="deny"]').click();
      await page.locator('.run-head .pill[data-status="completed"]').waitFor();
      const file = await exportOpenRun(page);
      expect(file.name).toMatch(/\.ndjson$/);
      const { header, events } = parseExportText(file.text);
      expect(events).toHaveLength(header.head);

      const fresh = await newPage();
      await openApp(fresh);
      await expect(fresh.locator(".sidebar-empty").innerText()).resolves.toContain("No runs yet");
      await fresh.setInputFiles("#import-file", {
        name: file.name,
        mimeType: "application/x-ndjson",
        buffer: Buffer.from(file.text),
      });
      await fresh.waitForURL(/#\/run\//);
      await fresh.locator('[data-role="verdict"][data-verified="true"]').waitFor();
      await expect(fresh.locator('[data-role="hash"]').innerText()).resolves.toBe(header.hash);
      expect(await fresh.locator("li.event").count()).toBe(header.head);
      await fresh.locator("li.event").nth(3).locator(".event-row").click();
      await shot(fresh, "imported");

      // What if it had been approved: fork at the interrupt and answer the other way.
      const original = fresh.url();
      await fresh.locator('li.event[data-seq="4"] [data-action="fork"]').click();
      await fresh.waitForURL((url) => url.href !== original);
      await fresh.locator('[data-action="approve"]').click();
      await fresh.locator('.run-head .pill[data-status="completed"]').waitFor();
      await expect(fresh.locator(".attention-completed").innerText()).resolves.toContain(
        "Approved",
      );
      expect(await rows(fresh, "Forked").count()).toBe(1);
      await expect.poll(() => fresh.locator(".run-item").count(), POLL).toBe(2);
      await shot(fresh, "forked");
    });
  },
);
