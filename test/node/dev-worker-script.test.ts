// `npm run dev:worker` (scripts/dev-worker.mjs) as a user starts it, with a token: the token must
// reach the Worker without appearing on any command line (`ps` shows those to every user), and
// wrangler must not reach for the network (its banner is where it asks npm for a newer version).
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/browser-port.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const token = `dev-token-${randomUUID()}`;
let child: ChildProcess | undefined;
let output = "";
const stateDirs: string[] = [];

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Every process's command line on this machine (Linux /proc). */
function commandLines(): string[] {
  const lines: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      lines.push(readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " "));
    } catch {
      // The process ended while we looked.
    }
  }
  return lines;
}

const ownTempDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith("runlog-dev-worker-"));

describe.skipIf(!existsSync("/proc/self/cmdline"))("npm run dev:worker with RUNLOG_TOKEN", () => {
  it("keeps the token off every command line, serves with auth on, and cleans up on SIGTERM", async () => {
    const port = await freePort();
    const state = mkdtempSync(join(tmpdir(), "runlog-devw-state-"));
    stateDirs.push(state);
    const before = new Set(ownTempDirs());
    child = spawn(process.execPath, ["scripts/dev-worker.mjs", "--persist-to", state], {
      cwd: root,
      env: { ...process.env, PORT: String(port), RUNLOG_TOKEN: token },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        if (output.includes("Ready on")) resolve();
      };
      child?.stdout?.on("data", onData);
      child?.stderr?.on("data", onData);
      child?.once("exit", (code) => reject(new Error(`dev:worker exited (${code}):\n${output}`)));
    });
    await ready;

    expect(commandLines().filter((line) => line.includes(token))).toEqual([]);
    expect(output).not.toContain("⛅️ wrangler");
    const fresh = ownTempDirs().filter((n) => !before.has(n));
    expect(fresh).toHaveLength(1);

    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/runs`)).status).toBe(401);
    const authed = await fetch(`${base}/runs?limit=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(authed.status).toBe(200);

    const exited = new Promise<number | null>((resolve) =>
      child?.once("exit", (code) => resolve(code)),
    );
    child.kill("SIGTERM");
    await exited;
    expect(ownTempDirs().filter((n) => fresh.includes(n))).toEqual([]);
  }, 120_000);
});
