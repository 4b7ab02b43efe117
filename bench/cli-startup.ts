import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchContext, Benchmark } from "./lib/context.ts";
import { duration, spread, table, times, verdict } from "./lib/format.ts";
import { machineLine } from "./lib/machine.ts";
import { type Summary, summarize } from "./lib/stats.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = fileURLToPath(new URL("../bin/runlog.mjs", import.meta.url));
const COMPILED = fileURLToPath(new URL("../dist/apps/cli/main.js", import.meta.url));
const SOURCE = fileURLToPath(new URL("../apps/cli/main.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** Wall-clock ms of one Node process from spawn to exit. */
function spawnMs(args: readonly string[]): number {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
  const ms = performance.now() - t0;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}`);
  return ms;
}

/** Measure 9: how long `runlog --help` takes to start, against a bare `node -e 0`. */
export const cliStartup: Benchmark = {
  id: 9,
  title: "CLI start-up: runlog --help against node -e 0",
  async run(ctx: BenchContext): Promise<string> {
    if (!existsSync(COMPILED)) {
      ctx.log("dist/ is missing: npm run build");
      const built = spawnSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" });
      if (built.status !== 0) throw new Error("npm run build failed");
    }
    const runs = ctx.quick ? 10 : 30;
    const loadBefore = loadavg()[0] ?? Number.NaN;
    const commands: Record<string, string[]> = {
      "node -e 0": ["-e", "0"],
      "runlog --help (bin/runlog.mjs, compiled dist/)": [BIN, "--help"],
      "runlog --help from source through tsx (before the build)": [
        "--conditions=runlog-source",
        "--import",
        TSX,
        SOURCE,
        "--help",
      ],
    };
    const samples = new Map<string, number[]>(Object.keys(commands).map((k) => [k, []]));
    // Interleaved, one dropped warm-up round, so a busy moment on the machine hits every row.
    for (let i = 0; i <= runs; i++) {
      for (const [name, args] of Object.entries(commands)) {
        const ms = spawnMs(args);
        if (i > 0) samples.get(name)?.push(ms);
      }
    }
    const summaries = new Map<string, Summary>(
      [...samples].map(([name, values]) => [name, summarize(values)]),
    );
    const nodeSummary = summaries.get("node -e 0") as Summary;
    const node = nodeSummary.median;
    const rows = [...summaries].map(([name, s]) => [
      name,
      spread(s, duration),
      times(s.median / node),
      duration(s.median - node),
    ]);
    const cli = summaries.get("runlog --help (bin/runlog.mjs, compiled dist/)") as Summary;
    ctx.log(`runlog --help median ${duration(cli.median)}, node -e 0 ${duration(node)}`);
    return [
      `### 9. ${this.title}`,
      "",
      `Run ${new Date().toISOString()}${ctx.quick ? " (quick)" : ""} on ${machineLine(ctx.machine)}.`,
      "",
      `Each row is one fresh Node process from spawn to exit, ${runs} counted runs interleaved with`,
      "the others after one dropped round, min / **median** / max. The bin runs the compiled CLI in",
      "its own process (the files `npm pack` ships); the last row is how the bin started before",
      "there was a build (tsx compiling the TypeScript sources on every call). The machine's",
      `1-minute load average was ${loadBefore.toFixed(1)} at the start on ${ctx.machine.cores} cores: a`,
      "loaded machine slows every process start, so the ratio and the fastest runs say more than",
      "the absolute medians.",
      "",
      table(["command", "wall time (min / median / max)", "÷ node -e 0", "over node -e 0"], rows),
      "",
      `Target: \`runlog --help\` well under 200 ms median: ${duration(cli.median)}, ${times(cli.median / node)} a bare Node start (${verdict(cli.median < 200)}); fastest run ${duration(cli.min)} against ${duration(nodeSummary.min)} for \`node -e 0\` (${times(cli.min / nodeSummary.min)}).`,
    ].join("\n");
  },
};
