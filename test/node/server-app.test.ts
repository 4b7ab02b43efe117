// The Node server's composition: the API at its paths, the UI at its root, and a JSON 404 for
// anything else (the apps route with the URL's hash, so no path falls back to a page).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServer } from "../support/server-process.ts";

let server: ServerProcess;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "runlog-server-app-"));
  server = await startServer({ RUNLOG_DB: join(dir, "db.sqlite") });
}, 60_000);

afterAll(async () => {
  server?.child.kill("SIGTERM");
  await server?.exited;
}, 30_000);

// Requests go to a real server process: generous timeouts, as a loaded machine is slow.
describe("the Node server's routes", { timeout: 30_000 }, () => {
  it("answers unknown paths with the API's JSON 404, not with a page", async () => {
    for (const path of ["/nope", "/runs-typo", "/app/nope", "/assets/missing.js"]) {
      const res = await fetch(`${server.url}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.headers.get("content-type") ?? "").toMatch(/json/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });

  it("serves the API and a page at the root", async () => {
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ ok: true });
    const root = await fetch(`${server.url}/`);
    expect(root.status).toBe(200);
    expect(root.headers.get("content-type") ?? "").toMatch(/html/);
  });
});
