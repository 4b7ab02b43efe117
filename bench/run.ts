// `npm run bench`: runs the benchmarks of issue 8, prints each table and writes them to a file of
// its own, bench/results/<UTC time>.md (git-ignored). Flags: --quick (a short pass, under 2
// minutes), --only=1,2 (some measures), --write-results (also update the committed
// bench/RESULTS.md, deliberately), --out=FILE (write there instead). Each measure runs in
// a child process of its own: a peer can slow everything after it in its process (LangGraph turns
// on AsyncLocalStorage, whose promise hooks then tax every await), so no measure inherits another's.
// Inside a measure, runlog is measured before its peer for the same reason.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchContext, Benchmark } from "./lib/context.ts";
import { machine } from "./lib/machine.ts";
import { resultsTargets, runResultsPath, writeSection } from "./lib/results.ts";

const BENCHMARKS: Record<number, () => Promise<Benchmark>> = {
  1: async () => (await import("./kernel-overhead.ts")).kernelOverhead,
  2: async () => (await import("./sqlite-durable.ts")).sqliteDurable,
  3: async () => (await import("./indexeddb.ts")).indexedDb,
  4: async () => (await import("./durable-object.ts")).durableObject,
  5: async () => (await import("./replay.ts")).replay,
  6: async () => (await import("./resume-latency.ts")).resumeLatency,
  7: async () => (await import("./memory.ts")).memory,
  8: async () => (await import("./http.ts")).http,
  9: async () => (await import("./cli-startup.ts")).cliStartup,
  10: async () => (await import("./live-workflows.ts")).liveWorkflows,
  11: async () => (await import("./signals.ts")).signals,
  12: async () => (await import("./workflow-speed.ts")).workflowSpeed,
};

const SELF = fileURLToPath(import.meta.url);

interface Flags {
  quick: boolean;
  only: number[];
  child: boolean;
  writeResults: boolean;
  out: string | undefined;
}

function parseArgs(argv: readonly string[]): Flags {
  let quick = false;
  let child = false;
  let writeResults = false;
  let out: string | undefined;
  let only = Object.keys(BENCHMARKS).map(Number);
  for (const arg of argv) {
    if (arg === "--quick") quick = true;
    else if (arg === "--child") child = true;
    else if (arg === "--write-results") writeResults = true;
    else if (arg.startsWith("--out=") && arg.length > "--out=".length) out = arg.slice(6);
    else if (arg.startsWith("--only=")) {
      only = arg
        .slice("--only=".length)
        .split(",")
        .map((s) => Number(s.trim()))
        .filter((n) => BENCHMARKS[n] !== undefined);
    } else if (arg !== "--") {
      throw new Error(`unknown flag ${arg}; use --quick, --only=1,2, --write-results, --out=FILE`);
    }
  }
  return { quick, only, child, writeResults, out };
}

/** Runs one measure in a fresh Node (same loader and conditions); resolves to its exit code. */
function runChild(id: number, flags: Flags, out: string): Promise<number> {
  const args = ["--conditions=runlog-source", "--import", "tsx", SELF, `--only=${id}`, "--child"];
  args.push(`--out=${out}`);
  if (flags.quick) args.push("--quick");
  if (flags.writeResults) args.push("--write-results");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<void> {
  const flags = parseArgs(process.argv.slice(2));
  const { quick, only, child } = flags;
  const targets = resultsTargets(flags.out ?? runResultsPath(new Date()), flags.writeResults);
  if (!child) {
    const started = performance.now();
    let failed = 0;
    for (const id of only) if ((await runChild(id, flags, targets[0] as string)) !== 0) failed++;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(`all done in ${seconds} s; results in ${targets.join(" and ")}\n`);
    if (failed > 0) process.exitCode = 1;
    return;
  }
  const tmpDir = mkdtempSync(join(tmpdir(), "runlog-bench-"));
  const started = performance.now();
  const ctx: BenchContext = {
    quick,
    machine: machine(),
    tmpDir,
    log: (message) =>
      process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`),
  };
  let failed = 0;
  try {
    for (const id of only) {
      const load = BENCHMARKS[id];
      if (!load) continue;
      const bench = await load();
      const t0 = performance.now();
      let section: string;
      try {
        section = await bench.run(ctx);
      } catch (error) {
        failed++;
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        ctx.log(`${id}: failed: ${message}`);
        section = `### ${id}. ${bench.title}\n\nThe last run (${new Date().toISOString()}) failed: \`${String(error instanceof Error ? error.message : error).split("\n")[0]}\``;
      }
      process.stdout.write(`\n${section}\n\n`);
      for (const path of targets) writeSection(String(id), section, path);
      ctx.log(`${id}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  if (failed > 0) process.exitCode = 1;
}

await main();
