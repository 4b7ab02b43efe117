// SqliteStore: the host-store contract on a file and in memory, plus what only a database shows:
// reopening, two connections on one file, rollback of a failed commit, the schema version, and a
// kernel that survives a crash between a request and its outcome.
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import BetterSqlite3 from "better-sqlite3";
import {
  type ActionExecutor,
  ConcurrencyError,
  type Event,
  type Json,
  Kernel,
  KernelError,
  next,
  type Reducer,
  type StepFn,
  ValidationError,
} from "runlog";
import { sequence } from "runlog/store-kit";
import { describeHostStore } from "runlog/store-kit/conformance";
import { ManualClock } from "runlog/testing";
import { afterAll, describe, expect, it } from "vitest";
import { SQLITE_SCHEMA_VERSION, SqliteStore } from "../../adapters/node/index.ts";

const dir = mkdtempSync(join(tmpdir(), "runlog-sqlite-"));
const opened: { close(): void }[] = [];
const track = <T extends { close(): void }>(x: T): T => {
  opened.push(x);
  return x;
};
afterAll(() => {
  for (const x of opened) x.close();
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
const freshFile = () => join(dir, `db-${files++}.sqlite`);
const raw = (path: string) => track(new BetterSqlite3(path));
const ev = (payload: Json): Event => ({ type: "StateUpdated", payload });
const T0 = 1_700_000_000_000;
const summary = (runId: string, head: number) => ({
  runId,
  status: "running" as const,
  head,
  createdAt: T0,
  updatedAt: T0,
});

const full = (runId: string) => ({
  expectedHead: 0,
  snapshot: { runId, atSeq: 3, state: "s", stateVersion: 1 },
  summary: summary(runId, 3),
});
const nothingOf = async (store: SqliteStore, runId: string) => {
  expect(await store.head(runId)).toBe(0);
  expect(await store.read(runId)).toEqual([]);
  expect(await store.loadLatest(runId)).toBeUndefined();
  expect(await store.getRun(runId)).toBeUndefined();
};

const shared = freshFile();
describeHostStore("SqliteStore (file)", () => track(SqliteStore.open(shared)));
describeHostStore("SqliteStore (:memory:)", () => track(SqliteStore.open(":memory:")));

describe("SqliteStore on a file", () => {
  it("creates parent directories, runs in WAL mode and records its schema version", () => {
    const path = join(dir, "a", "b", "c", "runlog.db");
    track(SqliteStore.open(path));
    const db = raw(path);
    expect(db.pragma("user_version", { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(["events", "snapshots", "runs"]));
  });

  it("refuses a file written by a newer schema with a store error", () => {
    const path = freshFile();
    raw(path).pragma("user_version = 999");
    expect(() => SqliteStore.open(path)).toThrow(/schema version 999/);
    try {
      SqliteStore.open(path);
    } catch (error) {
      expect(KernelError.is(error) && error.code).toBe("store");
    }
  });

  it("keeps events, the snapshot and the summary when the file is reopened", async () => {
    const path = freshFile();
    const first = SqliteStore.open(path);
    await first.append("kept", sequence([ev("héllo ✓ \u2028"), ev({ n: 2 })], 0, T0), {
      expectedHead: 0,
      snapshot: { runId: "kept", atSeq: 2, state: { n: 2 }, stateVersion: 1 },
      summary: { ...summary("kept", 2), workflow: "w", version: 3 },
    });
    first.close();
    const again = track(SqliteStore.open(path));
    expect(await again.head("kept")).toBe(2);
    expect((await again.read("kept")).map((e) => e.event)).toEqual([
      ev("héllo ✓ \u2028"),
      ev({ n: 2 }),
    ]);
    expect(await again.loadLatest("kept")).toEqual({
      runId: "kept",
      atSeq: 2,
      state: { n: 2 },
      stateVersion: 1,
    });
    expect(await again.getRun("kept")).toEqual({
      ...summary("kept", 2),
      workflow: "w",
      version: 3,
    });
  });

  it("fails a stale expectedHead from a second connection with ConcurrencyError and writes nothing", async () => {
    const path = freshFile();
    const one = track(SqliteStore.open(path));
    const two = track(SqliteStore.open(path));
    await one.append("shared", sequence([ev(1)], 0, T0), {
      expectedHead: 0,
      summary: summary("shared", 1),
    });
    const stale = two.append("shared", sequence([ev("stale")], 0, T0), {
      expectedHead: 0,
      snapshot: { runId: "shared", atSeq: 1, state: "stale", stateVersion: 1 },
      summary: { ...summary("shared", 1), status: "completed" },
    });
    await expect(stale).rejects.toSatisfy(
      (e: unknown) => ConcurrencyError.is(e) && e.expectedHead === 0 && e.actualHead === 1,
    );
    expect((await two.read("shared")).map((e) => e.event)).toEqual([ev(1)]);
    expect(await two.loadLatest("shared")).toBeUndefined();
    expect((await two.getRun("shared"))?.status).toBe("running");
    await two.append("shared", sequence([ev(2)], 1, T0), { expectedHead: 1 });
    expect(await one.head("shared")).toBe(2);
  });

  it("waits for another connection's write lock instead of failing, and reads the head under it", async () => {
    const path = freshFile();
    const store = track(SqliteStore.open(path));
    const holdMs = 300;
    const worker = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
       const db = new (require(workerData.module))(workerData.path);
       db.exec("BEGIN IMMEDIATE");
       db.prepare("INSERT INTO events (run_id, seq, ts, body) VALUES ('locked', 1, 0, ?)")
         .run(JSON.stringify({ type: "StateUpdated", payload: "from the worker" }));
       parentPort.postMessage("locked");
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
       db.exec("COMMIT");
       db.close();`,
      {
        eval: true,
        workerData: {
          module: createRequire(import.meta.url).resolve("better-sqlite3"),
          path,
          holdMs,
        },
      },
    );
    await new Promise((resolve) => worker.once("message", resolve));
    const started = Date.now();
    await store.append("locked", sequence([ev("after")], 1, T0), { expectedHead: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(holdMs / 2);
    expect((await store.read("locked")).map((e) => e.event)).toEqual([
      ev("from the worker"),
      ev("after"),
    ]);
    await new Promise((resolve) => worker.once("exit", resolve));
  });

  it("reports a lock held past the busy timeout as a retryable store error naming the run", async () => {
    const path = freshFile();
    const store = track(SqliteStore.open(path, { busyTimeoutMs: 20 }));
    const other = raw(path);
    other.exec("BEGIN IMMEDIATE");
    const error = await store
      .append("busy", sequence([ev(1)], 0, T0), { expectedHead: 0 })
      .catch((e) => e);
    other.exec("ROLLBACK");
    expect(KernelError.is(error) && error.code).toBe("store");
    expect(error).toMatchObject({
      retryable: true,
      message: expect.stringMatching(/^run busy: .*SQLITE_BUSY/),
    });
    await store.append("busy", sequence([ev(1)], 0, T0), { expectedHead: 0 });
    expect(await store.head("busy")).toBe(1);
  });
});

describe("SqliteStore's signal index", () => {
  const sig = (signalId: string, value: Json = null): Event => ({
    type: "SignalReceived",
    name: "go",
    value,
    signalId,
  });

  it("is kept by the store and answers from its table", async () => {
    const path = freshFile();
    const store = track(SqliteStore.open(path));
    expect(store.signalSeq).toBeTypeOf("function");
    await store.append("r", sequence([ev(0), sig("a"), sig("b")], 0, T0), { expectedHead: 0 });
    const rows = raw(path).prepare("SELECT signal_id, seq FROM signal_ids ORDER BY seq").all();
    expect(rows).toEqual([
      { signal_id: "a", seq: 2 },
      { signal_id: "b", seq: 3 },
    ]);
    expect(await store.signalSeq("r", "b")).toBe(3);
  });

  it("fills the index from the events of a file written before it existed (schema 1)", async () => {
    const path = freshFile();
    const before = SqliteStore.open(path);
    await before.append("old", sequence([ev(0), sig("x", 1), sig("y"), sig("x", 2)], 0, T0), {
      expectedHead: 0,
    });
    await before.append("other", sequence([sig("y")], 0, T0), { expectedHead: 0 });
    before.close();
    const db = raw(path);
    db.exec("DROP TABLE signal_ids");
    db.pragma("user_version = 1");
    const store = track(SqliteStore.open(path));
    expect(db.pragma("user_version", { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    expect(await store.signalSeq("old", "x")).toBe(2);
    expect(await store.signalSeq("old", "y")).toBe(3);
    expect(await store.signalSeq("other", "y")).toBe(1);
    expect(await store.signalSeq("other", "x")).toBeUndefined();
  });

  it("rolls back the ids of a batch whose commit fails", async () => {
    const path = freshFile();
    const store = track(SqliteStore.open(path));
    raw(path).exec(`CREATE TRIGGER boom BEFORE INSERT ON runs
      BEGIN SELECT RAISE(ABORT, 'no summaries today'); END`);
    const failed = store.append("r", sequence([sig("lost")], 0, T0), {
      expectedHead: 0,
      summary: summary("r", 1),
    });
    await expect(failed).rejects.toSatisfy((e: unknown) => KernelError.is(e));
    expect(await store.signalSeq("r", "lost")).toBeUndefined();
  });
});

describe("SqliteStore commits all or nothing", () => {
  it("rolls back the events already inserted when a later insert fails", async () => {
    const path = freshFile();
    const store = track(SqliteStore.open(path));
    raw(path).exec(`CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.seq = 3
      BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    const error = await store
      .append("midway", sequence([ev(1), ev(2), ev(3)], 0, T0), full("midway"))
      .catch((e) => e);
    expect(KernelError.is(error) && error.code).toBe("store");
    expect(error.message).toMatch(/^run midway: SQLite append failed: disk on fire/);
    await nothingOf(store, "midway");
    raw(path).exec("DROP TRIGGER boom");
    await store.append("midway", sequence([ev(1), ev(2), ev(3)], 0, T0), full("midway"));
    expect(await store.head("midway")).toBe(3);
  });

  it("rolls back the events and the snapshot when the summary write fails", async () => {
    const path = freshFile();
    const store = track(SqliteStore.open(path));
    raw(path).exec(`CREATE TRIGGER boom BEFORE INSERT ON runs
      BEGIN SELECT RAISE(ABORT, 'no summaries today'); END`);
    const error = await store
      .append("last", sequence([ev(1), ev(2), ev(3)], 0, T0), full("last"))
      .catch((e) => e);
    expect(KernelError.is(error) && error.code).toBe("store");
    await nothingOf(store, "last");
  });

  it("refuses a batch that cannot be JSON, or a snapshot of another run, before touching the database", async () => {
    const store = track(SqliteStore.open(":memory:"));
    const big = [ev(1), { type: "StateUpdated", payload: { n: 10n } } as unknown as Event];
    await expect(store.append("bad", sequence(big, 0, T0), { expectedHead: 0 })).rejects.toSatisfy(
      (e: unknown) => ValidationError.is(e) && /event seq 2/.test((e as Error).message),
    );
    const other = {
      ...full("bad"),
      snapshot: { runId: "someone-else", atSeq: 1, state: 1, stateVersion: 1 },
    };
    await expect(store.append("bad", sequence([ev(1)], 0, T0), other)).rejects.toSatisfy(
      ValidationError.is,
    );
    await nothingOf(store, "bad");
  });

  it("keeps the stored snapshot when an append brings an older one", async () => {
    const store = track(SqliteStore.open(":memory:"));
    await store.save({ runId: "old", atSeq: 9, state: "nine", stateVersion: 1 });
    await store.append("old", sequence([ev(1)], 0, T0), {
      expectedHead: 0,
      snapshot: { runId: "old", atSeq: 1, state: "one", stateVersion: 1 },
    });
    expect((await store.loadLatest("old"))?.state).toBe("nine");
  });
});

describe("SqliteStore group commit", () => {
  const walFrames = (path: string) => {
    const size = existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
    return Math.max(0, size - 32) / (4096 + 24);
  };

  it("commits the appends of many runs made in one turn in one transaction", async () => {
    const path = freshFile();
    const store = track(SqliteStore.open(path, { durability: "strict" }));
    const before = walFrames(path);
    const runs = Array.from({ length: 40 }, (_, i) => `group-${i}`);
    await Promise.all(
      runs.map((runId) =>
        store.append(runId, sequence([ev(1), ev(2)], 0, T0), {
          expectedHead: 0,
          summary: summary(runId, 2),
          durability: "strict",
        }),
      ),
    );
    // One commit writes each page it changed once: a few frames. One commit a run writes at
    // least one frame each.
    expect(walFrames(path) - before).toBeLessThan(runs.length / 4);
    for (const runId of runs) expect(await store.head(runId)).toBe(2);
  });

  it("fails only the refused appends of a group; the others commit", async () => {
    const path = freshFile();
    const store = track(SqliteStore.open(path));
    await store.append("stale", sequence([ev(1)], 0, T0), { expectedHead: 0 });
    raw(path).exec(`CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.run_id = 'refused'
      BEGIN SELECT RAISE(ABORT, 'not this one'); END`);
    const results = await Promise.allSettled([
      store.append("first", sequence([ev(1)], 0, T0), { expectedHead: 0 }),
      store.append("stale", sequence([ev("late")], 0, T0), {
        expectedHead: 0,
        summary: summary("stale", 1),
      }),
      store.append("refused", sequence([ev(1), ev(2)], 0, T0), full("refused")),
      store.append("first", sequence([ev(2)], 1, T0), { expectedHead: 1 }),
      store.append("last", sequence([ev(1)], 0, T0), {
        expectedHead: 0,
        durability: "strict",
        summary: summary("last", 1),
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "rejected",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect(ConcurrencyError.is((results[1] as PromiseRejectedResult).reason)).toBe(true);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({
      code: "store",
      message: expect.stringMatching(/^run refused: SQLite append failed: not this one/),
    });
    expect((await store.read("first")).map((e) => e.event)).toEqual([ev(1), ev(2)]);
    expect((await store.read("stale")).map((e) => e.event)).toEqual([ev(1)]);
    expect(await store.getRun("stale")).toBeUndefined();
    await nothingOf(store, "refused");
    expect(await store.getRun("last")).toEqual(summary("last", 1));
  });

  it("commits what is queued when it closes, and fails appends made after", async () => {
    const path = freshFile();
    const store = SqliteStore.open(path);
    const queued = store.append("queued", sequence([ev(1)], 0, T0), {
      expectedHead: 0,
      durability: "strict",
    });
    store.close();
    await queued;
    await expect(
      store.append("late", sequence([ev(1)], 0, T0), { expectedHead: 0 }),
    ).rejects.toSatisfy((e: unknown) => KernelError.is(e) && /^run late: /.test(e.message));
    const again = track(SqliteStore.open(path));
    expect(await again.head("queued")).toBe(1);
  });
});

describe("SqliteStore settings", () => {
  it("never changes the synchronous setting: NORMAL in every mode, strict commits are synced after", async () => {
    const db = track(new BetterSqlite3(freshFile()));
    for (const durability of ["per-commit", "strict", "relaxed"] as const) {
      const store = new SqliteStore({ database: db, durability });
      await store.append(durability, sequence([ev(1)], 0, T0), {
        expectedHead: 0,
        durability: "strict",
      });
      expect(db.pragma("synchronous", { simple: true })).toBe(1);
      expect(await store.head(durability)).toBe(1);
    }
  });

  it("leaves a database passed in open, and turns use after close into a store error", async () => {
    const db = track(new BetterSqlite3(":memory:"));
    new SqliteStore({ database: db }).close();
    expect(db.open).toBe(true);
    const store = SqliteStore.open(":memory:");
    store.close();
    store.close();
    await expect(store.head("gone")).rejects.toSatisfy(
      (e: unknown) => KernelError.is(e) && e.code === "store" && /^run gone: /.test(e.message),
    );
  });
});

describe("a Kernel on SqliteStore", () => {
  type S = { outs: Json[] };
  const reducer: Reducer<S> = {
    apply: (s, se) =>
      se.event.type === "ActionSucceeded" ? { outs: [...s.outs, se.event.output] } : s,
  };
  // Sleep a minute, call a tool, complete: a step that lives in state, so any kernel can continue it.
  const step: StepFn<S> = {
    next: (s) =>
      s.outs.length === 0
        ? next.do({ type: "sleep", ms: 60_000 })
        : s.outs.length === 1
          ? next.do({ type: "callTool", tool: "echo", input: { hi: "✓" } })
          : next.complete({ outs: s.outs }),
  };
  const calls: string[] = [];
  const echo: ActionExecutor = {
    execute: (_runId, action, ctx) => {
      calls.push(ctx.actionId);
      return { type: "success", output: action.type === "callTool" ? action.input : null };
    },
  };
  const kernel = (store: SqliteStore, clock: ManualClock, executor = echo) =>
    new Kernel<S>({ events: store, snapshots: store, reducer, executor, step, clock });

  it("sleeps, survives a crash between a tool's request and its outcome, and finishes on a reopened file", async () => {
    const path = freshFile();
    const clock = new ManualClock(T0);
    const first = SqliteStore.open(path);
    expect(await kernel(first, clock).runUntilBlocked("e2e", { outs: [] })).toEqual({
      type: "blocked",
      blocked: { timerAt: T0 + 60_000 },
    });
    expect(await first.getRun("e2e")).toMatchObject({
      status: "blocked",
      waitingOn: "timer",
      wakeAt: T0 + 60_000,
    });
    expect((await first.wakingRuns()).map((r) => r.runId)).toEqual(["e2e"]);
    first.close();

    // The process "dies" while the tool runs: its outcome is never committed.
    clock.advance(60_000);
    const second = SqliteStore.open(path);
    const crashing: ActionExecutor = {
      execute: (_runId, _action, ctx) => {
        calls.push(ctx.actionId);
        second.close();
        return { type: "success", output: "lost" };
      },
    };
    await expect(
      kernel(second, clock, crashing).runUntilBlocked("e2e", { outs: [] }),
    ).rejects.toSatisfy((e: unknown) => KernelError.is(e) && e.code === "store");

    const third = track(SqliteStore.open(path));
    expect((await third.read("e2e")).map((e) => e.event.type)).toEqual([
      "ActionRequested",
      "ActionSucceeded",
      "ActionRequested",
    ]);
    expect(await kernel(third, clock).runUntilBlocked("e2e", { outs: [] })).toEqual({
      type: "completed",
      output: { outs: [{ sleptMs: 60_000 }, { hi: "✓" }] },
    });
    const log = await third.read("e2e");
    expect(log.map((e) => e.event.type)).toEqual([
      "ActionRequested",
      "ActionSucceeded",
      "ActionRequested",
      "ActionSucceeded",
      "Completed",
    ]);
    const ids = log.flatMap((e) => ("actionId" in e.event ? [e.event.actionId] : []));
    expect(ids).toEqual(["e2e:1", "e2e:1", "e2e:3", "e2e:3"]);
    expect(calls).toEqual(["e2e:3", "e2e:3"]);
    expect(await third.getRun("e2e")).toMatchObject({ status: "completed", head: 5 });
    expect((await third.getRun("e2e"))?.wakeAt).toBeUndefined();
    expect(await third.wakingRuns()).toEqual([]);
    expect((await third.loadLatest("e2e"))?.atSeq).toBe(5);

    expect((await kernel(third, clock).runUntilBlocked("e2e", { outs: [] })).type).toBe(
      "completed",
    );
    expect(calls).toHaveLength(2);
  });
});
