import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import BetterSqlite3 from "better-sqlite3";
import { type SqliteDurability, SqliteStore } from "../adapters/node/index.ts";
import type { SequencedEvent } from "../src/index.ts";
import { sequence } from "../src/store-kit/index.ts";
import { commitPathsTable } from "./lib/commit-paths.ts";
import { type BenchContext, type Benchmark, RUNS } from "./lib/context.ts";
import { counterKernel, counterStart, gaps } from "./lib/counter.ts";
import { count, duration, rate, spread, table, times, verdict } from "./lib/format.ts";
import { machineLine } from "./lib/machine.ts";
import { quantile, repeat, type Summary } from "./lib/stats.ts";
import { langGraphCounter, runLangGraphCounter } from "./peers/langgraph.ts";

let files = 0;
const freshPath = (ctx: BenchContext, name: string) => join(ctx.tmpDir, `${name}-${++files}.db`);

function removeDb(path: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
}

/** Per-write times (ms) of `n` small writes each followed by `fdatasync`, in place or appended. */
export function bareFsync(dir: string, n: number, append: boolean): number[] {
  const path = join(dir, `fsync-${++files}.bin`);
  const fd = openSync(path, "w");
  const buf = Buffer.alloc(256, 7);
  const out: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      writeSync(fd, buf, 0, buf.length, append ? i * buf.length : 0);
      fdatasyncSync(fd);
      out.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return out;
}

/**
 * Per-commit times (ms) of `n` bare SQLite transactions, each inserting one event row, on a file in
 * WAL mode with synchronous=FULL, warmed past its first WAL checkpoint: the floor a SQLite store
 * can reach for one durable commit.
 */
export function bareSqliteCommits(dir: string, n: number): number[] {
  const path = join(dir, `bare-${++files}.db`);
  const db = new BetterSqlite3(path);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.exec(
      "CREATE TABLE events (run_id TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (run_id, seq))",
    );
    const insert = db.prepare("INSERT INTO events (run_id, seq, ts, body) VALUES (?, ?, ?, ?)");
    const body = JSON.stringify({
      type: "StateUpdated",
      payload: { count: 1, tools: 0, resumes: 0 },
    });
    let seq = 0;
    const commit = db.transaction(() => insert.run("bench", ++seq, Date.now(), body));
    for (let i = 0; i < 1500; i++) commit.immediate();
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      commit.immediate();
      out.push(performance.now() - t0);
    }
    return out;
  } finally {
    db.close();
    removeDb(path);
  }
}

async function runlogSteps(store: SqliteStore, runId: string, steps: number): Promise<number[]> {
  const marks: number[] = [];
  const status = await counterKernel(store, { steps }, { marks }).runUntilBlocked(
    runId,
    counterStart,
  );
  if (status.type !== "completed") throw new Error(`the run ended ${status.type}`);
  return gaps(marks);
}

/**
 * Per-step times of counter runs on one SQLite file: `fresh` measures a new file each run (its WAL
 * grows with every commit), else one file warmed up past its first WAL checkpoint (the WAL is then
 * rewritten in place, as in a server that has been up for a while).
 */
async function runlogPerStep(
  ctx: BenchContext,
  steps: number,
  durability: SqliteDurability,
  fresh: boolean,
) {
  let runs = 0;
  if (fresh) {
    return perStep(async () => {
      const path = freshPath(ctx, "runlog");
      const store = SqliteStore.open(path, { durability });
      try {
        return await runlogSteps(store, "bench", steps);
      } finally {
        store.close();
        removeDb(path);
      }
    });
  }
  const path = freshPath(ctx, "runlog-warm");
  const store = SqliteStore.open(path, { durability });
  try {
    // ~3 WAL pages a commit: 1500 commits pass the 1000-page autocheckpoint at least once.
    await runlogSteps(store, "warm-up", 1500);
    return await perStep(() => runlogSteps(store, `run-${++runs}`, steps));
  } finally {
    store.close();
    removeDb(path);
  }
}

/** Events per second of a counter run that emits `batch` events per decision (one commit each). */
async function groupCommitRate(ctx: BenchContext, events: number, batch: number): Promise<number> {
  const path = freshPath(ctx, "group");
  const store = SqliteStore.open(path, { durability: "strict" });
  try {
    const t0 = performance.now();
    await counterKernel(store, { steps: events, batch }).runUntilBlocked("bench", counterStart);
    return events / ((performance.now() - t0) / 1000);
  } finally {
    store.close();
    removeDb(path);
  }
}

/** Events per second of bare `append`s of prebuilt batches (no kernel), each batch one transaction. */
async function storeAppendRate(ctx: BenchContext, events: number, batch: number): Promise<number> {
  const path = freshPath(ctx, "append");
  const store = SqliteStore.open(path, { durability: "strict" });
  const batches: SequencedEvent[][] = [];
  for (let head = 0; head < events; head += batch) {
    const list = [];
    for (let i = 1; i <= batch; i++)
      list.push({
        type: "StateUpdated" as const,
        payload: { count: head + i, tools: 0, resumes: 0 },
      });
    batches.push(sequence(list, head, Date.now()));
  }
  try {
    const t0 = performance.now();
    let head = 0;
    for (const b of batches) {
      await store.append("bench", b, { expectedHead: head });
      head += b.length;
    }
    return events / ((performance.now() - t0) / 1000);
  } finally {
    store.close();
    removeDb(path);
  }
}

/** Per-superstep times (ms) of LangGraph's counter on a fresh SqliteSaver file, and its synchronous level. */
async function langGraphSteps(
  ctx: BenchContext,
  steps: number,
): Promise<{ gaps: number[]; synchronous: number }> {
  const path = freshPath(ctx, "langgraph");
  const db = new BetterSqlite3(path);
  const saver = new SqliteSaver(db);
  const marks: number[] = [];
  try {
    const graph = langGraphCounter({ steps, marks }, saver);
    const out = await runLangGraphCounter(graph, "bench", steps);
    if (out.count !== steps) throw new Error(`LangGraph counted to ${out.count}`);
    return { gaps: gaps(marks), synchronous: db.pragma("synchronous", { simple: true }) as number };
  } finally {
    db.close();
    removeDb(path);
  }
}

/** Median over runs of each run's p50, and the spread of those p50s; plus the pooled p99. */
async function perStep(once: () => Promise<number[]>): Promise<{ p50: Summary; p99: number }> {
  const all: number[] = [];
  const p50 = await repeat(
    async () => {
      const g = await once();
      all.push(...g);
      return quantile(g, 0.5);
    },
    { runs: RUNS, warmup: 1 },
  );
  return { p50, p99: quantile(all, 0.99) };
}

/** Measure 2: a durable step on SQLite against a bare fsync, group commit, and LangGraph's SqliteSaver. */
export const sqliteDurable: Benchmark = {
  id: 2,
  title: "Durable step on SQLite (Node)",
  async run(ctx: BenchContext): Promise<string> {
    const steps = ctx.quick ? 300 : 2000;
    const lgSteps = ctx.quick ? 100 : 500;
    const events = ctx.quick ? 10_000 : 200_000;
    const rows: string[][] = [];
    ctx.log("2: bare fsync");
    const fsyncInPlace = await perStep(async () => bareFsync(ctx.tmpDir, steps, false));
    const fsyncAppend = await perStep(async () => bareFsync(ctx.tmpDir, steps, true));
    rows.push([
      "bare `write` + `fdatasync`, 256 B in place",
      count(steps),
      spread(fsyncInPlace.p50, duration),
      duration(fsyncInPlace.p99),
      "1.00× (floor)",
    ]);
    rows.push([
      "bare `write` + `fdatasync`, 256 B appended",
      count(steps),
      spread(fsyncAppend.p50, duration),
      duration(fsyncAppend.p99),
      times(fsyncAppend.p50.median / fsyncInPlace.p50.median),
    ]);
    const bareSqlite = await perStep(async () => bareSqliteCommits(ctx.tmpDir, steps));
    rows.push([
      "bare SQLite commit: one-row `INSERT` transaction (WAL, synchronous=FULL, warm file)",
      count(steps),
      spread(bareSqlite.p50, duration),
      duration(bareSqlite.p99),
      times(bareSqlite.p50.median / fsyncInPlace.p50.median),
    ]);
    const results = new Map<SqliteDurability, { p50: Summary; p99: number }>();
    const cases = [
      { durability: "strict", fresh: false },
      { durability: "strict", fresh: true },
      { durability: "per-commit", fresh: false },
    ] as const;
    for (const { durability, fresh } of cases) {
      ctx.log(`2: runlog SqliteStore ${durability}${fresh ? " fresh file" : ""}`);
      const r = await runlogPerStep(ctx, steps, durability, fresh);
      if (!fresh) results.set(durability, r);
      const where = fresh ? "new file each run, WAL growing" : "warm file, WAL reused";
      const label =
        durability === "strict"
          ? `runlog step, SqliteStore \`strict\` (WAL fsynced after every group commit; ${where})`
          : `runlog step, SqliteStore \`per-commit\` default (WAL fsynced when it blocks or ends; ${where})`;
      rows.push([
        label,
        count(steps),
        spread(r.p50, duration),
        duration(r.p99),
        times(r.p50.median / fsyncInPlace.p50.median),
      ]);
    }
    ctx.log("2: group commit");
    const group: string[][] = [];
    const rates: number[] = [];
    for (const batch of [100, 1000]) {
      const kernelRate = await repeat(() => groupCommitRate(ctx, events, batch), {
        runs: RUNS,
        warmup: 1,
      });
      const storeRate = await repeat(() => storeAppendRate(ctx, events, batch), {
        runs: RUNS,
        warmup: 1,
      });
      rates.push(kernelRate.median);
      group.push([
        `kernel: a decision emits ${batch} events, one commit`,
        count(events),
        spread(kernelRate, (v) => rate(v, " ev/s")),
      ]);
      group.push([
        `store only: \`append\` of ${batch} prebuilt events`,
        count(events),
        spread(storeRate, (v) => rate(v, " ev/s")),
      ]);
    }
    const writers = 64;
    const perWriter = ctx.quick ? 20 : 100;
    const paths = await commitPathsTable(ctx.tmpDir, RUNS, writers, perWriter, ctx.log);
    // LangGraph last: it turns on AsyncLocalStorage, which taxes every later await here.
    ctx.log("2: LangGraph SqliteSaver");
    let synchronous = 0;
    const lg = await perStep(async () => {
      const r = await langGraphSteps(ctx, lgSteps);
      synchronous = r.synchronous;
      return r.gaps;
    });
    const strict = results.get("strict") as { p50: Summary; p99: number };
    rows.push([
      `LangGraph superstep, SqliteSaver (WAL, synchronous=${synchronous === 2 ? "FULL" : synchronous === 1 ? "NORMAL" : synchronous})`,
      count(lgSteps),
      spread(lg.p50, duration),
      duration(lg.p99),
      times(lg.p50.median / fsyncInPlace.p50.median),
    ]);
    const ratio = strict.p50.median / fsyncInPlace.p50.median;
    const bestRate = Math.max(...rates);
    return [
      `### 2. ${this.title}`,
      "",
      `Run ${new Date().toISOString()}${ctx.quick ? " (quick)" : ""} on ${machineLine(ctx.machine)}. Files on the`,
      "machine's disk (ext4, not tmpfs). Each row is one counter run per counted run; the per-step time",
      "is the gap between consecutive calls of the step function (decide, commit in one `BEGIN",
      "IMMEDIATE` transaction, apply), min / **median** / max of each run's p50, and p99 over all steps.",
      "The bare fsync is measured in the same process just before.",
      "",
      table(["what", "N", "p50 per step (min / median / max)", "p99", "÷ bare fsync p50"], rows),
      "",
      `Where the fsync of a cross-run group commit happens: ${writers} runs at once, each committing ${perWriter}`,
      "strict appends of 3 events one after the other; every path groups the appends of one turn of",
      "the event loop in one transaction with a savepoint each. The three paths run interleaved, one",
      "round each in turn; min / **median** / max over the rounds. Main thread busy is the event loop's",
      "utilization over the load (`performance.eventLoopUtilization`).",
      "",
      paths,
      "",
      "Group commit (one transaction per batch, the WAL fsynced before the append resolves):",
      "",
      table(["what", "events", "events/s (min / median / max)"], group),
      "",
      `Target: p50 ≤ 1.2× bare fsync: ${times(ratio)} (${verdict(ratio <= 1.2)}); group commit ≥ 200k events/s: ${rate(bestRate, " ev/s")} (${verdict(bestRate >= 200_000)}).`,
      `runlog strict ÷ a bare SQLite one-row commit: ${times(strict.p50.median / bareSqlite.p50.median)}; a bare SQLite commit is already ${times(bareSqlite.p50.median / fsyncInPlace.p50.median)} a bare fsync here (it writes whole 4 KiB WAL frames).`,
      `LangGraph SqliteSaver ÷ runlog strict, per step p50: ${times(lg.p50.median / strict.p50.median)}.`,
    ].join("\n");
  },
};
