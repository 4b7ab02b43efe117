import { rmSync } from "node:fs";
import { join } from "node:path";
import { SqliteStore } from "../adapters/node/index.ts";
import { MemoryRunStore, type SequencedEvent } from "../src/index.ts";
import type { AppendOptions, HostStore } from "../src/store-kit/index.ts";
import { type BenchContext, type Benchmark, RUNS } from "./lib/context.ts";
import { type CounterEnd, counterKernel, counterStart } from "./lib/counter.ts";
import { count, duration, spread, table, verdict } from "./lib/format.ts";
import { buildCounterLog } from "./lib/logs.ts";
import { machineLine } from "./lib/machine.ts";
import { quantile, repeat, summarize } from "./lib/stats.ts";
import {
  langGraphCounter,
  MemorySaver,
  resumeLangGraph,
  runLangGraphCounter,
} from "./peers/langgraph.ts";
import { bareFsync, bareSqliteCommits } from "./sqlite-durable.ts";

/** Counts the appends a store receives: the store commits a resume makes. */
function countingStore(store: HostStore): { store: HostStore; commits: () => number } {
  let n = 0;
  const counted = Object.create(store) as HostStore;
  counted.append = (runId: string, events: readonly SequencedEvent[], options: AppendOptions) => {
    n++;
    return store.append(runId, events, options);
  };
  // Methods read private fields of the real store, so every call goes to it with `this` bound.
  for (const name of [
    "read",
    "head",
    "loadLatest",
    "save",
    "getRun",
    "listRuns",
    "wakingRuns",
  ] as const) {
    (counted as unknown as Record<string, unknown>)[name] = (
      store[name] as (...a: unknown[]) => unknown
    ).bind(store);
  }
  return { store: counted, commits: () => n };
}

let runs = 0;

interface Case {
  store: HostStore;
  close(): void;
}

function openStore(ctx: BenchContext, kind: "memory" | "sqlite", name: string): Case {
  if (kind === "memory") return { store: new MemoryRunStore(), close: () => undefined };
  const path = join(ctx.tmpDir, `${name}.db`);
  const store = SqliteStore.open(path);
  return {
    store,
    close: () => {
      store.close();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
    },
  };
}

/** Builds a run of `events` events (1000 a commit) that blocks on an interrupt or a `waitSignal`. */
async function blockedRun(
  store: HostStore,
  events: number,
  end: Exclude<CounterEnd, "complete">,
): Promise<string> {
  const runId = `run-${++runs}`;
  await buildCounterLog(store, runId, events);
  // The log ends on an interrupt; answering it makes the signal run wait on a signal instead.
  if (end === "signal")
    await counterKernel(store, { steps: events, end }).resume(runId, counterStart, null);
  return runId;
}

/**
 * Latencies (ms) of `repeats` resumes or signals of the blocked run; `cold` uses a new kernel for
 * each, so it restores from the snapshot first, else one kernel that already holds the run.
 */
async function resumes(
  store: HostStore,
  runId: string,
  events: number,
  end: Exclude<CounterEnd, "complete">,
  repeats: number,
  cold: boolean,
): Promise<{ samples: number[]; commitsEach: number }> {
  const o = { steps: events, end };
  const { store: counted, commits } = countingStore(store);
  let kernel = counterKernel(counted, o);
  await kernel.status(runId, counterStart);
  const samples: number[] = [];
  const before = commits();
  for (let i = 0; i < repeats; i++) {
    if (cold) kernel = counterKernel(counted, o);
    const value = ++values;
    const t0 = performance.now();
    const status =
      end === "interrupt"
        ? await kernel.resume(runId, counterStart, value)
        : await kernel.signal(runId, counterStart, "go", value, `signal-${value}`);
    samples.push(performance.now() - t0);
    if (status.type !== "blocked") throw new Error(`after a ${end} the run is ${status.type}`);
  }
  return { samples, commitsEach: (commits() - before) / repeats };
}

let values = 0;

/** Measure 6: resume latency after a resume or a signal at 10³ and 10⁶ events; LangGraph's Command. */
export const resumeLatency: Benchmark = {
  id: 6,
  title: "Resume latency",
  async run(ctx: BenchContext): Promise<string> {
    const sizes = { memory: [1e3, 1e6], sqlite: ctx.quick ? [1e3, 1e5] : [1e3, 1e6] };
    const repeats = ctx.quick ? 40 : 400;
    const rows: string[][] = [];
    const p50s = new Map<string, number>();
    ctx.log("6: bare fsync");
    const fsync = quantile(bareFsync(ctx.tmpDir, 200, false), 0.5);
    const commit = quantile(bareSqliteCommits(ctx.tmpDir, 200), 0.5);
    for (const kind of ["memory", "sqlite"] as const) {
      for (const events of sizes[kind]) {
        for (const end of ["interrupt", "signal"] as const) {
          ctx.log(`6: ${kind} ${events} ${end}`);
          const opened = openStore(ctx, kind, `resume-${events}-${end}`);
          try {
            const runId = await blockedRun(opened.store, events, end);
            for (const cold of [false, true]) {
              const pooled: number[] = [];
              let commitsEach = 0;
              const n = cold ? Math.ceil(repeats / 4) : repeats;
              // Runs: each a fresh set of resumes of the same blocked run; the first is the warm-up.
              const s = await repeat(
                async () => {
                  const r = await resumes(opened.store, runId, events, end, n, cold);
                  commitsEach = r.commitsEach;
                  pooled.push(...r.samples);
                  return quantile(r.samples, 0.5);
                },
                { runs: RUNS, warmup: 1 },
              );
              p50s.set(`${kind}:${events}:${end}:${cold}`, s.median);
              rows.push([
                kind === "memory" ? "MemoryRunStore" : "SqliteStore (per-commit)",
                count(events),
                end === "interrupt" ? "`resume`" : "`signal`",
                cold ? "new kernel (restore first)" : "kernel holds the run",
                spread(s, duration),
                duration(quantile(pooled, 0.99)),
                String(commitsEach),
              ]);
            }
          } finally {
            opened.close();
          }
        }
      }
    }
    const peer = await langGraphResumes(ctx);
    const mem = (events: number) => p50s.get(`memory:${events}:interrupt:false`) ?? Number.NaN;
    const sqliteSmall = p50s.get(`sqlite:1000:interrupt:false`) ?? Number.NaN;
    const sqliteBig = p50s.get(`sqlite:${Math.max(...sizes.sqlite)}:interrupt:false`) ?? Number.NaN;
    const flat = Math.max(mem(1e3), mem(1e6)) <= 0.5;
    return [
      `### 6. ${this.title}`,
      "",
      `Run ${new Date().toISOString()}${ctx.quick ? " (quick)" : ""} on ${machineLine(ctx.machine)}.`,
      "",
      "A run counts to N events (1000 a commit), then blocks on an interrupt (or a `waitSignal`).",
      "Each sample is one `kernel.resume` (or `kernel.signal`) until the run blocks again on the next",
      "interrupt (or wait): the answer is recorded, the run advances and blocks. min / **median** / max",
      'of each run\'s p50 over the counted runs, p99 over all samples; "commits" is the store appends',
      `one resume makes. In this process a bare \`fdatasync\` p50 is ${duration(fsync)} and a bare SQLite`,
      `one-row durable commit (WAL, synchronous=FULL) ${duration(commit)}: "one store commit" below.`,
      "",
      table(
        ["store", "events", "call", "kernel", "p50 (min / median / max)", "p99", "commits"],
        rows,
      ),
      "",
      `Target ≤ 0.5 ms + one store commit, the same at 10³ and 10⁶ events: memory store (kernel only) ${duration(mem(1e3))} at 10³, ${duration(mem(1e6))} at 10⁶ (${verdict(flat)}); SQLite ${duration(sqliteSmall)} → ${duration(sqliteBig)} against 0.5 ms + one store commit = ${duration(0.5 + commit)} (${verdict(Math.max(sqliteSmall, sqliteBig) <= 0.5 + commit)}).`,
      "",
      peer,
    ].join("\n");
  },
};

/** LangGraph: `Command({resume})` on a thread of N steps waiting on `interrupt()`, MemorySaver. */
async function langGraphResumes(ctx: BenchContext): Promise<string> {
  const sizes = ctx.quick ? [1000] : [1000, 10_000];
  const rows: string[][] = [];
  for (const steps of sizes) {
    ctx.log(`6: LangGraph resume at ${steps} steps`);
    const graph = langGraphCounter({ steps, end: "interrupt" }, new MemorySaver());
    await runLangGraphCounter(graph, "bench", steps);
    const pooled: number[] = [];
    let value = 0;
    const s = await repeat(
      async () => {
        const samples: number[] = [];
        for (let i = 0; i < 20; i++) {
          const t0 = performance.now();
          await resumeLangGraph(graph, "bench", steps, value++);
          samples.push(performance.now() - t0);
        }
        pooled.push(...samples);
        return quantile(samples, 0.5);
      },
      { runs: RUNS, warmup: 1 },
    );
    rows.push([
      "LangGraph, MemorySaver",
      count(steps),
      "`Command({resume})`",
      spread(s, duration),
      duration(summarize(pooled).p99),
    ]);
  }
  return [
    "Peer: LangGraph on the same loop, its thread waiting on `interrupt()` after N supersteps; each",
    "sample is one `invoke(new Command({resume}))` until the next interrupt (20 a run).",
    "",
    table(["system", "steps", "call", "p50 (min / median / max)", "p99"], rows),
  ].join("\n");
}
