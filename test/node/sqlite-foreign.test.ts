// Two connections to one SQLite file (two hosts in this process, or the CLI with --db while a
// host holds the file): a host sees the other's commits within a poll, reloads the run, hands the
// new events to its watchers and re-arms the run's timer.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { SequencedEvent } from "runlog";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeHost, type NodeHost, SqliteStore } from "../../adapters/node/index.ts";
import { until } from "../support/server-process.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const dir = mkdtempSync(join(tmpdir(), "runlog-foreign-"));
let files = 0;
const freshPath = () => join(dir, `f${files++}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Collects a watch in the background; `done` resolves when the watch ends. */
function collect(host: NodeHost, runId: string) {
  const events: SequencedEvent[] = [];
  const done = (async () => {
    for await (const se of host.watch(runId)) events.push(se);
  })();
  return { events, done };
}

const statusOf = async (host: NodeHost, runId: string) => (await host.get(runId)).status;

describe("commits of another connection to the same file", () => {
  it("a run resumed by another host shows completed here, and a watch here gets its events", async () => {
    const path = freshPath();
    const first = await createNodeHost({ path, demos: true });
    const second = await createNodeHost({ path, demos: true, recover: false });
    try {
      const started = await first.start("demo.approval", { text: "x" }, { runId: "a", wait: true });
      expect(started.status).toBe("blocked");
      const watched = collect(first, "a");
      await until(async () => watched.events.length === started.head, 20_000, "the stored events");

      const resumed = await second.resume("a", { approved: true }, { wait: true });
      expect(resumed.status).toBe("completed");

      await until(async () => (await statusOf(first, "a")) === "completed", 20_000, "completed");
      await watched.done; // The watch ends after the run's end, which it got from the other host.
      expect(watched.events.map((se) => se.seq)).toEqual(
        Array.from({ length: resumed.head }, (_, i) => i + 1),
      );
      expect(watched.events.at(-1)?.event.type).toBe("Completed");
      expect((await first.get("a")).output).toEqual({ approved: true, text: "x" });
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  }, 60_000);

  it("re-arms the timer of a run another connection put to sleep, and wakes it", async () => {
    const path = freshPath();
    const server = await createNodeHost({ path, demos: true });
    // A short-lived writer that neither recovers nor keeps timers past its close, like the CLI.
    const cli = await createNodeHost({ path, demos: true, recover: false, foreignPollMs: 0 });
    const slept = await cli.start("demo.sleep", { ms: 200 }, { runId: "nap", wait: true });
    expect(slept.status).toBe("blocked");
    await cli.close();
    try {
      await until(async () => (await statusOf(server, "nap")) === "completed", 20_000, "woken");
      expect((await server.get("nap")).output).toEqual({ sleptMs: 200 });
    } finally {
      await server.close();
    }
  }, 60_000);

  it("a host made with recover: false follows other commits but wakes none of their timers", async () => {
    const path = freshPath();
    const reader = await createNodeHost({ path, demos: true, recover: false });
    const writer = await createNodeHost({ path, demos: true, recover: false, foreignPollMs: 0 });
    try {
      const watched = collect(reader, "z"); // Open before the run exists: fed only by the poll.
      const slept = await writer.start("demo.sleep", { ms: 50 }, { runId: "z", wait: true });
      expect(slept.status).toBe("blocked");
      await writer.close();
      await until(async () => watched.events.length === slept.head, 20_000, "the new events");
      // Well past the timer: nothing more was written, as the CLI leaves other runs alone.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await reader.get("z")).head).toBe(slept.head);
      expect(watched.events).toHaveLength(slept.head);
    } finally {
      await Promise.all([reader.close(), writer.close()]);
    }
  }, 60_000);

  it("tells its own commits from the other connection's ones", async () => {
    const path = freshPath();
    const one = SqliteStore.open(path);
    const two = SqliteStore.open(path);
    const ev = (seq: number) => ({ seq, ts: 1, event: { type: "StateUpdated", payload: seq } });
    const append = (store: SqliteStore, runId: string, from: number, to: number) =>
      store.append(
        runId,
        Array.from({ length: to - from + 1 }, (_, i) => ev(from + i)) as SequencedEvent[],
        { expectedHead: from - 1 },
      );
    try {
      expect(one.foreignCommits().size).toBe(0); // The first call starts the count.
      await append(one, "mine", 1, 3);
      expect([...one.foreignCommits()]).toEqual([]);
      await append(two, "theirs", 1, 2);
      await append(one, "mine", 4, 4);
      await append(two, "mine", 5, 6);
      await append(two, "theirs", 3, 1500); // More than one page of keys.
      expect([...one.foreignCommits()].sort()).toEqual([
        ["mine", 5],
        ["theirs", 1],
      ]);
      expect([...one.foreignCommits()]).toEqual([]);
      await append(one, "mine", 7, 7);
      expect([...one.foreignCommits()]).toEqual([]);
      await append(two, "theirs", 1501, 1501);
      expect([...one.foreignCommits()]).toEqual([["theirs", 1501]]);
    } finally {
      one.close();
      two.close();
    }
  });
});

/** Runs the CLI's entry in a Node process, as `bin/runlog.mjs` does. */
function runlog(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = ["--conditions=runlog-source", "--import", TSX, join(ROOT, "apps/cli/main.ts")];
  const env = { ...process.env, RUNLOG_DB: "", RUNLOG_URL: "", RUNLOG_TOKEN: "", NO_COLOR: "1" };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...argv, ...args],
      { cwd: dir, env, timeout: 80_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("the CLI with --db while a host holds the file", () => {
  it("a run the CLI resumes shows completed in the host, and the host's watch sees it", async () => {
    const path = freshPath();
    const host = await createNodeHost({ path, demos: true });
    try {
      const started = await host.start(
        "demo.approval",
        { text: "cli" },
        { runId: "c", wait: true },
      );
      expect(started.status).toBe("blocked");
      const watched = collect(host, "c");

      const resumed = await runlog(["resume", "c", "--approve", "--db", path, "--json"]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(JSON.parse(resumed.stdout)).toMatchObject({ status: "completed" });

      await until(async () => (await statusOf(host, "c")) === "completed", 20_000, "completed");
      await watched.done;
      expect(watched.events.at(-1)?.event.type).toBe("Completed");
      expect((await host.get("c")).output).toEqual({ approved: true, text: "cli" });
    } finally {
      await host.close();
    }
  }, 120_000);
});
