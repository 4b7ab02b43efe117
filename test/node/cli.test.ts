// The `runlog` CLI as a user runs it (child processes): a run exported from one database and
// imported into another verifies to the same hash; --json parses; exit codes for not found and
// usage; and the URL mode against a real server.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServer } from "../support/server-process.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// The loader by absolute URL: the CLI runs in a temporary directory, where "tsx" resolves to nothing.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const dir = mkdtempSync(join(tmpdir(), "runlog-cli-"));
const dbA = join(dir, "a.db");
const dbB = join(dir, "b.db");

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI's entry as `bin/runlog.mjs` does, in one Node process (or through the bin). */
function runlog(
  args: string[],
  options: { env?: Record<string, string>; bin?: boolean } = {},
): Promise<Result> {
  const argv = options.bin
    ? [join(ROOT, "bin/runlog.mjs"), ...args]
    : ["--conditions=runlog-source", "--import", TSX, join(ROOT, "apps/cli/main.ts"), ...args];
  // Clear what the developer's shell may have set, so the defaults under test are the CLI's own.
  const env = {
    ...process.env,
    RUNLOG_DB: "",
    RUNLOG_URL: "",
    RUNLOG_TOKEN: "",
    NO_COLOR: "1",
    ...options.env,
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      argv,
      // Generous: each call starts Node with tsx, which takes many seconds on a loaded machine.
      { cwd: dir, env, timeout: 80_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const json = (r: Result) => JSON.parse(r.stdout) as Record<string, unknown>;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The server starts while the database tests run.
const serverReady: Promise<ServerProcess> = startServer({
  RUNLOG_DB: join(dir, "server.db"),
  RUNLOG_TOKEN: "s3cret",
});
afterAll(async () => (await serverReady.catch(() => undefined))?.child.kill("SIGKILL"));

describe("runlog against database files", () => {
  it("round-trips a run: start and resume in A, export, import into B, verify both to the same hash", async () => {
    const start = await runlog([
      "start",
      "demo.approval",
      "--input",
      '{"text":"cli"}',
      "--run-id",
      "rt-1",
      "--db",
      dbA,
      "--json",
    ]);
    expect(start.code, start.stderr).toBe(0);
    expect(json(start)).toMatchObject({
      runId: "rt-1",
      status: "blocked",
      blocked: { interrupt: { id: expect.any(String) } },
    });

    const resumed = await runlog(["resume", "rt-1", "--approve", "--db", dbA, "--json"]);
    expect(json(resumed)).toMatchObject({
      status: "completed",
      output: { approved: true, text: "cli" },
    });

    const file = join(dir, "rt-1.ndjson");
    const exported = await runlog(["export", "rt-1", "-o", file, "--db", dbA]);
    expect(exported.stdout).toMatch(/^exported rt-1: 6 events, hash [0-9a-f]{64} → /);
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(7);

    const imported = await runlog(["import", file, "--db", dbB, "--json"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(json(imported)).toMatchObject({ runId: "rt-1", head: 6 });

    const [a, b, fromFile] = await Promise.all([
      runlog(["verify", "rt-1", "--db", dbA, "--json"]),
      runlog(["verify", "rt-1", "--db", dbB, "--json"]),
      runlog(["verify", "--file", file, "--expect-hash", "0".repeat(64)]),
    ]);
    for (const r of [a, b]) expect(r.code, r.stderr).toBe(0);
    expect(json(a)).toMatchObject({ ok: true, head: 6, hash: json(imported).hash });
    expect(json(b).hash).toBe(json(a).hash);
    expect(fromFile.code).toBe(1);
    expect(fromFile.stdout).toContain(`hash      ${json(a).hash as string}`);
    expect(fromFile.stdout).toMatch(/expected {2}0{64} \(does not match\)/);
  }, 180_000);

  it("prints an aligned table without colors when not on a terminal, and JSON that parses", async () => {
    const [list, events, replay] = await Promise.all([
      runlog(["list", "--db", dbA]),
      runlog(["events", "rt-1", "--db", dbA, "--json"]),
      runlog(["replay", "rt-1", "--db", dbB, "--json"]),
    ]);
    expect(list.stdout).toMatch(/^RUN {3}WORKFLOW {10}STATUS {5}EVENTS {2}CREATED {2}UPDATED\n/);
    expect(list.stdout).toMatch(/\nrt-1 {2}demo\.approval v1 {2}completed {2}6 {7}\d+[sm] ago/);
    expect(list.stdout).not.toContain("\u001b[");
    const page = json(events) as { events: { seq: number; type: string }[]; head: number };
    expect(page.head).toBe(6);
    expect(page.events.map((e) => e.type)).toEqual([
      "RunStarted",
      "ActionRequested",
      "ActionSucceeded",
      "Interrupted",
      "Resumed",
      "Completed",
    ]);
    expect(json(replay)).toMatchObject({
      runId: "rt-1",
      head: 6,
      state: { input: { text: "cli" } },
    });
  }, 180_000);

  it("exits 3 for an unknown run, 4 for a conflict, 2 for a usage error, and 0 for --help", async () => {
    const [missing, conflict, usage, badJson, help] = await Promise.all([
      runlog(["show", "nope", "--db", dbA, "--json"], { bin: true }),
      runlog(["resume", "rt-1", "--approve", "--db", dbA]),
      runlog(["show", "--db", dbA]),
      runlog(["start", "demo.approval", "--input", "{text}", "--db", dbA, "--json"]),
      runlog(["verify", "--help"]),
    ]);
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stderr)).toEqual({
      error: { code: "run_not_found", message: "run nope does not exist" },
      exitCode: 3,
    });
    expect(conflict.code).toBe(4);
    expect(conflict.stderr).toBe(
      "runlog resume: run rt-1 is not waiting on an interrupt; nothing was appended\n",
    );
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(
      /^runlog show: missing arguments: <runId>\n\nrunlog show <runId> \[options\]/,
    );
    expect(badJson.code).toBe(2);
    expect(JSON.parse(badJson.stderr)).toMatchObject({ error: { code: "usage" }, exitCode: 2 });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^runlog verify \[runId\] \[options\]\n[\s\S]*--expect-hash <sha256>[\s\S]*Examples:/,
    );
  }, 180_000);
});

describe("runlog against a server (--url)", () => {
  it("starts, lists, shows and resumes a run through the HTTP API with a token", async () => {
    const server = await serverReady;
    const at = ["--url", server.url, "--token", "s3cret"];
    const start = await runlog([
      "start",
      "demo.approval",
      "-i",
      '{"text":"remote"}',
      "--run-id",
      "web-1",
      ...at,
      "--json",
    ]);
    expect(start.code, start.stderr).toBe(0);
    expect(json(start)).toMatchObject({ runId: "web-1", status: "blocked" });

    const [list, show, noToken] = await Promise.all([
      runlog(["list", ...at, "--json"]),
      runlog(["show", "web-1", ...at]),
      runlog(["show", "web-1", "--url", server.url]),
    ]);
    expect((json(list).runs as { runId: string }[]).map((r) => r.runId)).toEqual(["web-1"]);
    expect(show.stdout).toMatch(/status {6}blocked\n/);
    expect(show.stdout).toMatch(/next: runlog resume web-1 --approve/);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/pass --token or set RUNLOG_TOKEN/);

    const resumed = await runlog(["resume", "web-1", "--deny"], {
      env: { RUNLOG_URL: server.url, RUNLOG_TOKEN: "s3cret" },
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(
      /status {4}completed\n[\s\S]*output {4}\{"approved":false,"text":"remote"\}/,
    );

    const again = await runlog(["resume", "web-1", "--approve", ...at]);
    expect(again.code).toBe(4);
    expect(server.output()).not.toMatch(/s3cret/);
  }, 180_000);
});
