// What a new user meets first in both web apps, in real Chromium against the real server process
// (the API behind RUNLOG_TOKEN, the server UI at `/`, the in-browser app at `/app/`), both apps
// built fresh with Vite into temporary folders the server is pointed at (RUNLOG_UI_DIR,
// RUNLOG_APP_DIR): the icon, signing in with a wrong
// token, the Cancel button of ended runs, and the names buttons have for a screen reader.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Locator, type Page } from "playwright";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS } from "../support/chromium.ts";
import { type ServerProcess, startServer } from "../support/server-process.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TOKEN = "first-use-token";
const AUTH = { authorization: `Bearer ${TOKEN}` };
// A real Chromium on a loaded machine: waits are generous.
const WAIT = { timeout: 15_000, interval: 50 };

async function textOf(locator: Locator): Promise<string> {
  if ((await locator.count()) === 0) return "";
  return ((await locator.first().textContent()) ?? "").replace(/\s+/g, " ").trim();
}

/** The accessible name Chromium computes for every button of the page (ignored nodes left out). */
async function buttonNames(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as {
      nodes: { ignored: boolean; role?: { value?: string }; name?: { value?: string } }[];
    };
    return nodes
      .filter((n) => !n.ignored && n.role?.value === "button")
      .map((n) => String(n.name?.value ?? "").trim());
  } finally {
    await cdp.detach();
  }
}

/** The bytes of a response, for checking what kind of file it is. */
async function bytesOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

describe("both web apps as a new user meets them", () => {
  let uiDir: string;
  let appDir: string;
  let dbDir: string;
  let child: ServerProcess;
  let server: { url: string; call: (path: string, init?: RequestInit) => Promise<Response> };
  let browser: Browser;

  beforeAll(async () => {
    [uiDir, appDir] = await Promise.all([
      mkdtemp(join(tmpdir(), "runlog-ui-")),
      mkdtemp(join(tmpdir(), "runlog-app-")),
    ]);
    const builds = [
      [join(ROOT, "apps/server/ui/vite.config.ts"), uiDir],
      [join(ROOT, "apps/browser/vite.config.ts"), appDir],
    ] as const;
    for (const [configFile, outDir] of builds) {
      await build({ configFile, logLevel: "error", build: { outDir, emptyOutDir: true } });
    }
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [...CHROMIUM_ARGS],
    });
    dbDir = await mkdtemp(join(tmpdir(), "runlog-first-use-db-"));
    child = await startServer({
      RUNLOG_TOKEN: TOKEN,
      RUNLOG_UI_DIR: uiDir,
      RUNLOG_APP_DIR: appDir,
      RUNLOG_DB: join(dbDir, "runlog.db"),
    });
    const url = child.url;
    server = { url, call: (path, init) => fetch(`${url}${path}`, init) };
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    child?.child.kill("SIGTERM");
    await child?.exited;
    for (const dir of [uiDir, appDir, dbDir])
      if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT.timeout);
    return page;
  }

  it("serves an icon at /favicon.ico and the one each page links, without a token", async () => {
    expect((await server.call("/runs")).status).toBe(401);
    for (const path of ["/favicon.ico", "/app/favicon.ico"]) {
      const response = await server.call(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toBe("image/x-icon");
      // An ICO file starts with reserved 0, type 1 (icon), and at least one image.
      const bytes = await bytesOf(response);
      expect([...bytes.slice(0, 4)], path).toEqual([0, 0, 1, 0]);
      expect(bytes[4], path).toBeGreaterThan(0);
    }
    const page = await newPage();
    try {
      for (const path of ["/", "/app/"]) {
        await page.goto(`${server.url}${path}`);
        const href = await page.locator('link[rel="icon"]').getAttribute("href");
        expect(href, path).toBeTruthy();
        const url = new URL(href ?? "", page.url());
        expect(url.protocol, path).toBe("http:");
        const response = await server.call(url.pathname);
        expect(response.status, url.pathname).toBe(200);
        expect(response.headers.get("content-type"), url.pathname).toBe("image/svg+xml");
        expect(new TextDecoder().decode(await bytesOf(response))).toContain("<svg");
      }
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it("does not claim to be signed in after the server refused the token", async () => {
    const page = await newPage();
    try {
      await page.goto(`${server.url}/`);
      const dialog = page.getByRole("dialog", { name: "Access token required" });
      await dialog.getByLabel("Token").fill("not-the-token");
      await dialog.getByRole("button", { name: "Continue" }).click();
      // Asked again, saying why; meanwhile the header offers no "Sign out".
      await expect
        .poll(() => textOf(dialog), WAIT)
        .toContain("The server did not accept that token");
      expect(
        await page.getByRole("button", { name: "Sign out", includeHidden: true }).count(),
      ).toBe(0);
      expect(await page.evaluate('sessionStorage.getItem("runlog.token")')).toBeNull();
      await dialog.getByRole("button", { name: "Cancel" }).click();
      const header = page.locator("#topbar-end");
      await expect.poll(() => textOf(header), WAIT).toContain("did not accept the token");
      expect(await header.getByRole("button", { name: "Sign out" }).count()).toBe(0);

      // A token kept from before that the server now refuses: the same.
      await page.evaluate('sessionStorage.setItem("runlog.token", "an-old-token")');
      await page.reload();
      await expect
        .poll(() => textOf(dialog), WAIT)
        .toContain("The server did not accept that token");
      expect(
        await page.getByRole("button", { name: "Sign out", includeHidden: true }).count(),
      ).toBe(0);

      // The right token signs in.
      await dialog.getByLabel("Token").fill(TOKEN);
      await dialog.getByRole("button", { name: "Continue" }).click();
      await page.getByText("No runs yet").or(page.locator(".run-row").first()).waitFor();
      await header.getByRole("button", { name: "Sign out" }).waitFor();
      expect(await textOf(header)).not.toContain("did not accept");
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it("shows Cancel on a run page only while the run can still be cancelled (server UI)", async () => {
    const start = async (workflow: string, input: unknown) => {
      const response = await server.call("/runs", {
        method: "POST",
        headers: { ...AUTH, "content-type": "application/json" },
        body: JSON.stringify({ workflow, input }),
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { runId: string }).runId;
    };
    const page = await newPage();
    try {
      await page.addInitScript(`sessionStorage.setItem("runlog.token", ${JSON.stringify(TOKEN)})`);
      const cancel = page.locator(".run-header").getByRole("button", { name: "Cancel run" });
      const pill = page.locator(".run-header .pill");

      const approved = await start("demo.approval", { text: "Ship it" });
      await page.goto(`${server.url}/#/runs/${encodeURIComponent(approved)}`);
      await expect.poll(() => textOf(pill), WAIT).toContain("Blocked");
      await cancel.waitFor();
      await page.locator(".interrupt-card").getByRole("button", { name: "Approve" }).click();
      await expect.poll(() => textOf(pill), WAIT).toContain("Completed");
      await expect.poll(() => cancel.count(), WAIT).toBe(0);

      // Cancelled from the page: the button goes with the run.
      const signal = await start("demo.signal", { name: "later" });
      await page.goto(`${server.url}/#/runs/${encodeURIComponent(signal)}`);
      await cancel.click();
      await page.getByRole("dialog").getByRole("button", { name: "Cancel run" }).click();
      await expect.poll(() => textOf(pill), WAIT).toContain("Cancelled");
      await expect.poll(() => cancel.count(), WAIT).toBe(0);

      // Opened when already ended: never shown.
      await page.goto(`${server.url}/#/runs/${encodeURIComponent(approved)}`);
      await expect.poll(() => textOf(pill), WAIT).toContain("Completed");
      await page.locator(".run-header").getByRole("button", { name: "Verify" }).waitFor();
      expect(await cancel.count()).toBe(0);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it("names every button of the in-browser app, each Start button after its workflow", async () => {
    const page = await newPage();
    try {
      await page.goto(`${server.url}/app/`);
      const cards = page.locator("form.workflow-card");
      await cards.first().waitFor();
      const workflows = await cards.evaluateAll((els) =>
        els.map((e) => e.getAttribute("data-workflow") ?? ""),
      );
      expect(workflows.length).toBeGreaterThanOrEqual(4);
      for (const workflow of workflows) {
        const button = page.getByRole("button", { name: `Start ${workflow}`, exact: true });
        expect(await button.count(), workflow).toBe(1);
        expect(await button.getAttribute("data-workflow")).toBe(workflow);
      }
      const names = await buttonNames(page);
      expect(names).not.toContain("");
      // The hidden file input behind Import is not a second Import button.
      expect(names.filter((name) => name.startsWith("Import"))).toEqual([
        "Import a run from an NDJSON file",
      ]);

      // A run page, while the run waits and once it has ended (no Cancel then).
      await page.getByRole("button", { name: "Start demo.approval", exact: true }).click();
      await page.waitForURL(/#\/run\//);
      const cancel = page.getByRole("button", { name: "Cancel run" });
      await cancel.waitFor();
      expect(await buttonNames(page)).not.toContain("");
      await page.locator('[data-action="approve"]').click();
      await page.locator('.run-head .pill[data-status="completed"]').waitFor();
      expect(await cancel.count()).toBe(0);
      expect(await buttonNames(page)).not.toContain("");
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
