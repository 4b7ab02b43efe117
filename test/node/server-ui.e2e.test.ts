// The server's web UI in real Chromium against the real HTTP API: start a demo.approval run from
// the UI, approve it, watch it complete in the live timeline, fork it, and see the new run. The UI
// is built fresh with Vite's JS API into a temporary folder and served from there by path.
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Locator, type Page } from "playwright";
import { createMemoryHost, type Host } from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";
import { createRunApi } from "runlog/http";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS } from "../support/chromium.ts";
import { listen, type TestServer } from "../support/http-server.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const UI_CONFIG = join(ROOT, "apps/server/ui/vite.config.ts");
const SHOTS = join(ROOT, "test-results/screenshots");
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

// A real Chromium on a loaded machine: waits are generous.
const WAIT = { timeout: 15_000, interval: 50 };

/** The text a locator holds now, spaces collapsed, or "" while it is not on the page. */
async function textOf(locator: Locator): Promise<string> {
  if ((await locator.count()) === 0) return "";
  return ((await locator.first().textContent()) ?? "").replace(/\s+/g, " ").trim();
}

/** Serves the built files at `/` and `/assets/*`, and the API everywhere else. */
function uiAndApi(dist: string, api: { fetch(request: Request): Response | Promise<Response> }) {
  return async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    const isFile = pathname === "/" || pathname.startsWith("/assets/");
    if (request.method !== "GET" || !isFile) return api.fetch(request);
    const file = pathname === "/" ? "index.html" : normalize(pathname).slice(1);
    try {
      const body = await readFile(join(dist, file));
      return new Response(body, {
        headers: { "content-type": TYPES[extname(file)] ?? "application/octet-stream" },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  };
}

describe("the server's web UI", () => {
  let dist: string;
  let host: Host;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), "runlog-ui-"));
    const building = build({
      configFile: UI_CONFIG,
      logLevel: "error",
      build: { outDir: dist, emptyOutDir: true },
    });
    const launching = chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [...CHROMIUM_ARGS],
    });
    await mkdir(SHOTS, { recursive: true });
    [, browser] = await Promise.all([building, launching]);
    host = createMemoryHost({ workflows: demoWorkflows, executor: demoExecutor() });
    server = await listen(uiAndApi(dist, createRunApi({ host })));
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.setDefaultTimeout(WAIT.timeout);
    page.on("pageerror", (error) => pageErrors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await host?.close();
    if (dist) await rm(dist, { recursive: true, force: true });
  }, 60_000);

  it("starts a demo.approval run, approves it, watches it complete live, and forks it", async () => {
    await page.goto(`${server.url}/`);
    await page.getByText("No runs yet").waitFor();

    await page.getByRole("button", { name: "Start run" }).click();
    const dialog = page.getByRole("dialog", { name: "Start a run" });
    await dialog.getByRole("radio", { name: /demo\.approval/ }).check();
    await dialog.getByLabel("Input").fill('{"text": "Ship the Q3 release notes"}');
    await dialog.getByRole("button", { name: "Start run" }).click();

    await page.waitForURL(/#\/runs\/.+/);
    const runId = decodeURIComponent(new URL(page.url()).hash.replace("#/runs/", ""));
    const card = page.locator(".interrupt-card");
    await expect
      .poll(() => textOf(card.getByRole("heading")), WAIT)
      .toBe('Publish "Ship the Q3 release notes"?');
    await expect
      .poll(() => textOf(card.locator(".ic-draft")), WAIT)
      .toBe("Ship the Q3 release notes");
    await expect.poll(() => textOf(page.locator(".run-header .pill")), WAIT).toContain("Blocked");
    await page.screenshot({ path: join(SHOTS, "run-interrupt.png"), fullPage: true });

    await card.getByRole("button", { name: "Approve" }).click();
    // Resumed and Completed arrive over the stream; the header follows.
    await page.locator('.tl-item[data-type="Completed"]').waitFor();
    await expect.poll(() => page.locator(".tl-item").count(), WAIT).toBe(6);
    await expect
      .poll(() => textOf(page.locator('.tl-item[data-type="Resumed"] .tl-title')), WAIT)
      .toBe("Approved");
    await expect.poll(() => textOf(page.locator(".run-header .pill")), WAIT).toContain("Completed");
    await expect.poll(() => card.count(), WAIT).toBe(0);
    const interrupted = page.locator('.tl-item[data-type="Interrupted"]');
    await interrupted.getByRole("button", { name: "Payload" }).click();
    await expect.poll(() => textOf(interrupted.locator(".json")), WAIT).toContain('"question"');
    await page.getByRole("button", { name: "Verify" }).click();
    await expect
      .poll(() => textOf(page.locator(".side-card").filter({ hasText: "Verification" })), WAIT)
      .toContain("Deterministic");
    await page.screenshot({ path: join(SHOTS, "run-completed.png"), fullPage: true });

    // What if the answer had been no: fork at the interrupt, and deny in the new run.
    await interrupted.hover();
    await interrupted.getByRole("button", { name: "Fork from here" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Fork run" }).click();
    await page.waitForURL((url) => url.hash.startsWith("#/runs/") && !url.hash.endsWith(runId));
    await expect
      .poll(() => textOf(page.locator(".origin")), WAIT)
      .toContain(`Forked from ${runId} at event #4`);
    await page.locator(".interrupt-card").getByRole("button", { name: "Deny" }).click();
    await expect
      .poll(() => textOf(page.locator('.tl-item[data-type="Resumed"] .tl-title')), WAIT)
      .toBe("Denied");
    await expect.poll(() => textOf(page.locator(".run-header .pill")), WAIT).toContain("Completed");
    await expect
      .poll(() => textOf(page.locator(".side-stack")), WAIT)
      .toContain('"approved": false');

    await page.getByRole("link", { name: "All runs", exact: true }).click();
    await expect.poll(() => page.locator(".run-row").count(), WAIT).toBe(2);
    await expect
      .poll(() => textOf(page.locator(`.run-row[data-run-id="${runId}"] .pill`)), WAIT)
      .toBe("Completed");
    await page.screenshot({ path: join(SHOTS, "runs-list.png") });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
