// Three ways to group the durable commits of many runs on SQLite, measured under one load so the
// store's choice rests on figures: each gathers the appends of one turn of the event loop into one
// transaction (a savepoint each, a head check each), and differs in where the fsync happens.
// - main-full: the transaction on the main thread with synchronous=FULL, so COMMIT fsyncs the WAL
//   while the event loop waits;
// - main-async: the transaction on the main thread with synchronous=NORMAL, then one fsync of the
//   WAL on libuv's thread pool (what SqliteStore does);
// - worker: the batch posted to a worker thread that owns a connection with synchronous=FULL.

import { createRequire } from "node:module";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import BetterSqlite3 from "better-sqlite3";
import { GroupCommit } from "../../adapters/node/group-commit.ts";
import { WalSync } from "../../adapters/node/wal-sync.ts";
import { quantile, type Summary, summarize } from "./stats.ts";

export type CommitPath = "main-full" | "main-async" | "worker";

export interface CommitPathResult {
  /** Appends committed and acknowledged per second. */
  rate: number;
  /** Per-append latency, ms. */
  latency: number[];
  /** Event-loop delay p99 and max over the run, ms. */
  loopP99: number;
  loopMax: number;
  /** Share of the wall time the main thread was busy (event-loop utilization, 0..1). */
  busy: number;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS events (run_id TEXT NOT NULL, seq INTEGER NOT NULL,
  ts INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (run_id, seq))`;
const BODY = JSON.stringify({ type: "StateUpdated", payload: { count: 1, note: "x".repeat(64) } });

type Append = { runId: string; head: number; events: number };

/** The worker's side: one connection, FULL, a batch a message, a result per append. */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const db = new (require(workerData.module))(workerData.path);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
const head = db.prepare("SELECT seq FROM events WHERE run_id = ? ORDER BY seq DESC LIMIT 1").pluck();
const insert = db.prepare("INSERT INTO events (run_id, seq, ts, body) VALUES (?, ?, ?, ?)");
const one = db.transaction((a) => {
  if ((head.get(a.runId) ?? 0) !== a.head) throw new Error("conflict");
  for (let i = 1; i <= a.events; i++) insert.run(a.runId, a.head + i, Date.now(), workerData.body);
});
const group = db.transaction((batch) => batch.map((a) => {
  try { one(a); return true; } catch { return false; }
}));
parentPort.on("message", (m) => parentPort.postMessage({ id: m.id, ok: group.immediate(m.batch) }));
`;

/** Appends through the worker: the appends of one turn go in one message. */
class WorkerWriter {
  readonly worker: Worker;
  #queue: { append: Append; resolve: (ok: boolean) => void }[] = [];
  #scheduled = false;
  #next = 0;
  readonly #inFlight = new Map<number, ((ok: boolean) => void)[]>();

  constructor(path: string) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        module: createRequire(import.meta.url).resolve("better-sqlite3"),
        path,
        body: BODY,
      },
    });
    this.worker.on("message", (m: { id: number; ok: boolean[] }) => {
      const waiting = this.#inFlight.get(m.id) ?? [];
      this.#inFlight.delete(m.id);
      waiting.forEach((resolve, i) => {
        resolve(m.ok[i] === true);
      });
    });
  }

  append(append: Append): Promise<boolean> {
    return new Promise((resolve) => {
      this.#queue.push({ append, resolve });
      if (this.#scheduled) return;
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        const batch = this.#queue;
        this.#queue = [];
        const id = ++this.#next;
        this.#inFlight.set(
          id,
          batch.map((b) => b.resolve),
        );
        this.worker.postMessage({ id, batch: batch.map((b) => b.append) });
      });
    });
  }
}

/** Appends on the main thread through `GroupCommit`, FULL or NORMAL plus a WAL sync. */
function mainWriter(db: BetterSqlite3.Database, asyncSync: boolean) {
  db.pragma(`synchronous = ${asyncSync ? "NORMAL" : "FULL"}`);
  const head = db
    .prepare<[string], number>("SELECT seq FROM events WHERE run_id = ? ORDER BY seq DESC LIMIT 1")
    .pluck();
  const insert = db.prepare("INSERT INTO events (run_id, seq, ts, body) VALUES (?, ?, ?, ?)");
  const one = db.transaction((a: Append) => {
    if ((head.get(a.runId) ?? 0) !== a.head) throw new Error("conflict");
    for (let i = 1; i <= a.events; i++) insert.run(a.runId, a.head + i, Date.now(), BODY);
  });
  const wal = asyncSync ? new WalSync(`${db.name}-wal`) : undefined;
  const group = new GroupCommit(db, wal && (() => wal.sync()), (_runId, e) => e);
  return {
    append: (a: Append) =>
      group
        .submit(
          a.runId,
          true,
          () => one(a),
          () => undefined,
        )
        .then(
          () => true,
          () => false,
        ),
    close: () => wal?.close(),
  };
}

/**
 * `writers` runs at once, each committing `commits` durable appends of `events` events one after
 * the other, on a fresh file in `dir`.
 */
export async function commitPathLoad(
  dir: string,
  path: CommitPath,
  writers: number,
  commits: number,
  events = 3,
): Promise<CommitPathResult> {
  const file = join(dir, `commit-path-${path}-${Date.now()}-${Math.random()}.db`);
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  db.exec(SCHEMA);
  const worker = path === "worker" ? new WorkerWriter(file) : undefined;
  const main = path === "worker" ? undefined : mainWriter(db, path === "main-async");
  const append = (a: Append) => (worker ? worker.append(a) : (main?.append(a) as Promise<boolean>));
  // Warm up the path (and the worker's connection) before measuring.
  await append({ runId: "warm", head: 0, events });
  const latency: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const elu0 = performance.eventLoopUtilization();
  delay.enable();
  const t0 = performance.now();
  let failed = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let head = 0;
      for (let c = 0; c < commits; c++) {
        const s = performance.now();
        if (!(await append({ runId: `w${w}`, head, events }))) failed++;
        latency.push(performance.now() - s);
        head += events;
      }
    }),
  );
  const wall = performance.now() - t0;
  delay.disable();
  const elu = performance.eventLoopUtilization(elu0);
  main?.close();
  await worker?.worker.terminate();
  db.close();
  if (failed > 0) throw new Error(`${path}: ${failed} appends failed`);
  return {
    rate: (writers * commits) / (wall / 1000),
    latency,
    loopP99: delay.percentile(99) / 1e6,
    loopMax: delay.max / 1e6,
    busy: elu.utilization,
  };
}

const PATHS: readonly { path: CommitPath; label: string }[] = [
  { path: "main-full", label: "main thread, synchronous=FULL (COMMIT fsyncs on the event loop)" },
  {
    path: "main-async",
    label: "main thread, NORMAL + one WAL fsync on the thread pool (SqliteStore)",
  },
  { path: "worker", label: "worker thread with its own connection, FULL (batch posted to it)" },
];

/**
 * The three paths, interleaved round by round (`rounds` counted after one warm-up round), under
 * `writers` runs committing `commits` strict appends each: a Markdown table with the median and
 * spread of each measure.
 */
export async function commitPathsTable(
  dir: string,
  rounds: number,
  writers: number,
  commits: number,
  log: (message: string) => void,
): Promise<string> {
  const seen = new Map<CommitPath, CommitPathResult[]>();
  for (let round = 0; round <= rounds; round++) {
    for (const { path } of PATHS) {
      log(`2: commit paths, round ${round}, ${path}`);
      const r = await commitPathLoad(dir, path, writers, commits);
      if (round > 0) seen.set(path, [...(seen.get(path) ?? []), r]);
    }
  }
  const med = (xs: number[]) => summarize(xs);
  const fmt = (s: Summary, f: (v: number) => string) =>
    `${f(s.min)} / **${f(s.median)}** / ${f(s.max)}`;
  const rows = PATHS.map(({ path, label }) => {
    const rs = seen.get(path) ?? [];
    return [
      label,
      fmt(med(rs.map((r) => r.rate)), (v) => `${Math.round(v)}/s`),
      fmt(med(rs.map((r) => quantile(r.latency, 0.5))), (v) => `${v.toFixed(2)} ms`),
      fmt(med(rs.map((r) => quantile(r.latency, 0.99))), (v) => `${v.toFixed(1)} ms`),
      fmt(med(rs.map((r) => r.loopP99)), (v) => `${v.toFixed(1)} ms`),
      fmt(med(rs.map((r) => r.busy * 100)), (v) => `${v.toFixed(0)} %`),
    ];
  });
  const head = [
    "path",
    "appends/s",
    "append p50",
    "append p99",
    "event-loop delay p99",
    "main thread busy",
  ];
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}
