import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type BenchContext, type Benchmark, RUNS } from "./lib/context.ts";
import { bytes, count, spread, table, times, verdict } from "./lib/format.ts";
import { machineLine } from "./lib/machine.ts";
import { summarize } from "./lib/stats.ts";

const CHILD = fileURLToPath(new URL("./memory-child.ts", import.meta.url));

/** Runs bench/memory-child.ts in a fresh Node with --expose-gc and returns its JSON line. */
function child<T>(args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        "--expose-gc",
        "--max-old-space-size=4096",
        "--import",
        "tsx",
        "--conditions=runlog-source",
        CHILD,
        ...args,
      ],
      { maxBuffer: 1 << 20, timeout: 600_000 },
      (error, stdout, stderr) => {
        if (error)
          return reject(
            new Error(`memory child ${args.join(" ")} failed: ${stderr || error.message}`),
          );
        const line = stdout.trim().split("\n").pop() ?? "";
        resolve(JSON.parse(line) as T);
      },
    );
  });
}

/** Measure 7: bytes retained per event, idle run size, heap of durable stores; LangGraph MemorySaver. */
export const memory: Benchmark = {
  id: 7,
  title: "Memory",
  async run(ctx: BenchContext): Promise<string> {
    const sizes = ctx.quick ? [1e3, 1e4] : [1e3, 1e4, 1e5, 1e6];
    const durableTo = ctx.quick ? 1e5 : 1e6;
    const idleRuns = ctx.quick ? 500 : 10_000;
    const lgSteps = ctx.quick ? 100 : 1000;
    const rows: string[][] = [];
    let worst = 0;
    let perEvent1k = Number.NaN;
    // Each child measures only its own heap, so the four run side by side.
    ctx.log("7: four children: memory store, LangGraph, idle runs, durable store");
    const [retained, lgChild, idle, durable] = await Promise.all([
      child<{ perEvent: Record<string, number[]> }>(["events", sizes.join(","), String(RUNS)]),
      child<{ perStep: number[] }>(["langgraph", String(lgSteps), String(RUNS)]),
      child<{ perRun: number[]; eventsPerRun: number }>(["idle", String(idleRuns), String(RUNS)]),
      child<{ points: { events: number; heapUsed: number; rss: number }[] }>([
        "durable",
        String(durableTo),
        "1",
        ctx.tmpDir,
      ]),
    ]);
    for (const n of sizes) {
      const s = summarize(retained.perEvent[String(n)] ?? []);
      if (n >= 1e4) worst = Math.max(worst, s.median);
      if (n === 1e3) perEvent1k = s.median;
      rows.push([
        "runlog, MemoryRunStore",
        `${count(n)} events (counter)`,
        spread(s, bytes),
        "per event",
      ]);
    }
    const lg = summarize(lgChild.perStep);
    rows.push([
      "LangGraph, MemorySaver",
      `${count(lgSteps)} steps (counter)`,
      spread(lg, bytes),
      "per step",
    ]);
    const idleS = summarize(idle.perRun);
    rows.push([
      "runlog, memory host",
      `${count(idleRuns)} demo.approval runs blocked on their interrupt`,
      spread(idleS, bytes),
      `per run (with its ${idle.eventsPerRun} events, snapshot and summary)`,
    ]);
    const heapRows = durable.points.map((p) => [
      count(Math.round(p.events / 10) * 10),
      bytes(p.heapUsed),
      bytes(p.rss),
    ]);
    const heaps = durable.points.map((p) => p.heapUsed);
    const growth = (Math.max(...heaps) - Math.min(...heaps)) / Math.min(...heaps);
    const lgRatio = lg.median / (worst || perEvent1k);
    return [
      `### 7. ${this.title}`,
      "",
      `Run ${new Date().toISOString()}${ctx.quick ? " (quick)" : ""} on ${machineLine(ctx.machine)}.`,
      "",
      "Each row is measured in a fresh Node child (`--expose-gc`): `heapUsed` after two full GCs, after",
      "the workload minus before it, with everything it made still referenced; a warm-up round first,",
      `then ${RUNS} rounds (min / **median** / max). The counter logs hold one \`StateUpdated\` {count, tools,`,
      "resumes} per step; the store keeps its latest snapshot and summary beside them.",
      "",
      table(["system", "workload", "retained (min / median / max)", "unit"], rows),
      "",
      "Heap of a kernel on SQLite while one run grows (100 events a commit; measured after each phase):",
      "",
      table(["events in the run", "heapUsed", "rss"], heapRows),
      "",
      `Targets: ≤ 200 B per event in the memory store: ${bytes(worst || perEvent1k)} (${verdict((worst || perEvent1k) <= 200)}); idle run ≤ 10 KB plus state: ${bytes(idleS.median)} (${verdict(idleS.median <= 10 * 1024)}); durable heap flat: ${(growth * 100).toFixed(1)}% growth from ${count(1e3)} to ${count(durableTo)} events (${verdict(growth < 0.1)}).`,
      `LangGraph MemorySaver per step ÷ runlog per event: ${times(lgRatio)}.`,
    ].join("\n");
  },
};
