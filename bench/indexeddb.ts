import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright";
import { build } from "vite";
import { type BenchContext, type Benchmark, RUNS } from "./lib/context.ts";
import { count, duration, rate, spread, table, times, verdict } from "./lib/format.ts";
import type { IdbBenchPage } from "./lib/idb-page.ts";
import { chromiumPath, machineLine } from "./lib/machine.ts";
import { quantile, repeat, summarize } from "./lib/stats.ts";

declare const runlogBench: IdbBenchPage;

const ENTRY = fileURLToPath(new URL("./browser/idb-bench.ts", import.meta.url));

// Without the networking flags Chromium keeps dialling out on a closed network.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Bundles the page with Vite's build API into `outDir`. */
async function bundle(outDir: string): Promise<void> {
  await build({
    configFile: false,
    logLevel: "warn",
    publicDir: false,
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target: "es2022",
      lib: { entry: ENTRY, formats: ["es"], fileName: () => "idb-bench.js" },
    },
  });
}

/**
 * Serves the bundle on 127.0.0.1 with COOP/COEP, so the page is cross-origin isolated and its
 * `performance.now()` has 5 µs steps instead of 100 µs.
 */
async function serveBundle(dir: string) {
  const page = `<!doctype html><meta charset="utf-8"><title>runlog bench</title><script type="module" src="/idb-bench.js"></script>`;
  const server = createServer(async (req, res) => {
    const headers = {
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
    };
    if (req.url === "/idb-bench.js") {
      res.writeHead(200, { ...headers, "content-type": "text/javascript" });
      res.end(await readFile(join(dir, "idb-bench.js")));
    } else if (req.url === "/") {
      res.writeHead(200, { ...headers, "content-type": "text/html" });
      res.end(page);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** Measure 3: the kernel on IndexedDB in real Chromium against a bare idb put loop; replay and restore. */
export const indexedDb: Benchmark = {
  id: 3,
  title: "Durable step on IndexedDB (Chromium)",
  async run(ctx: BenchContext): Promise<string> {
    const executablePath = chromiumPath();
    if (!executablePath)
      return `### 3. ${this.title}\n\nSkipped: no Chromium (set CHROMIUM_PATH or install /usr/bin/chromium).`;
    const steps = ctx.quick ? 120 : 1000;
    const logSizes = ctx.quick ? [1e4, 3e4] : [1e4, 1e5, 1e6];
    const perRecordSteps = ctx.quick ? 1000 : 5000;
    const outDir = join(ctx.tmpDir, "idb-page");
    ctx.log("3: bundling the page (vite)");
    await bundle(outDir);
    const { server, url } = await serveBundle(outDir);
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction(
        () => typeof (globalThis as { runlogBench?: unknown }).runlogBench === "object",
      );
      const isolated = await page.evaluate(() => runlogBench.crossOriginIsolated());
      const rows: string[][] = [];
      const floors = new Map<string, number>();
      let strictRatio = Number.NaN;
      let relaxedP50 = Number.NaN;
      for (const durability of ["relaxed", "strict"] as const) {
        ctx.log(`3: bare idb puts, ${durability}`);
        const pooledPuts: number[] = [];
        const puts = await repeat(
          async () => {
            const g = await page.evaluate(([n, d]) => runlogBench.barePuts(n, d), [
              steps,
              durability,
            ] as const);
            pooledPuts.push(...g);
            return quantile(g, 0.5);
          },
          { runs: RUNS, warmup: 1 },
        );
        floors.set(durability, puts.median);
        rows.push([
          `bare \`idb\` put, one readwrite transaction each (${durability})`,
          count(steps),
          spread(puts, duration),
          duration(quantile(pooledPuts, 0.99)),
          "1.00× (floor)",
        ]);
        ctx.log(`3: runlog on IdbStore, ${durability}`);
        const pooled: number[] = [];
        const ours = await repeat(
          async () => {
            const g = await page.evaluate(([n, d]) => runlogBench.kernelSteps(n, d), [
              steps,
              durability,
            ] as const);
            pooled.push(...g);
            return quantile(g, 0.5);
          },
          { runs: RUNS, warmup: 1 },
        );
        if (durability === "strict") strictRatio = ours.median / puts.median;
        else relaxedP50 = ours.median;
        rows.push([
          `runlog step on \`IdbStore\` (${durability}): one readwrite transaction a step`,
          count(steps),
          spread(ours, duration),
          duration(quantile(pooled, 0.99)),
          times(ours.median / puts.median),
        ]);
      }
      for (const mode of ["get-then-put", "get-with-put"] as const) {
        ctx.log(`3: bare idb ${mode}, relaxed`);
        const pooledMode: number[] = [];
        const s = await repeat(
          async () => {
            const g = await page.evaluate(([n, m]) => runlogBench.barePuts(n, "relaxed", m), [
              steps,
              mode,
            ] as const);
            pooledMode.push(...g);
            return quantile(g, 0.5);
          },
          { runs: RUNS, warmup: 1 },
        );
        const relaxedFloor = floors.get("relaxed") ?? Number.NaN;
        rows.push([
          mode === "get-then-put"
            ? "bare `get` awaited, then `put`, one transaction (relaxed): IdbStore's head check today"
            : "bare `get` and `put` issued together, one transaction (relaxed): a pipelined head check",
          count(steps),
          spread(s, duration),
          duration(quantile(pooledMode, 0.99)),
          times(s.median / relaxedFloor),
        ]);
      }
      const replayRows: string[][] = [];
      let minRate = Number.POSITIVE_INFINITY;
      let maxRestore = 0;
      for (const events of logSizes) {
        ctx.log(`3: replay and restore, ${events} events`);
        const r = await page.evaluate(([n, t]) => runlogBench.replayAndRestore(n, t), [
          events,
          RUNS + 1,
        ] as const);
        const replay = summarize(r.replay.slice(1));
        const restore = summarize(r.restore.slice(1));
        minRate = Math.min(minRate, replay.median);
        maxRestore = Math.max(maxRestore, restore.median);
        replayRows.push([
          `${count(events)} events in ${r.records} records (1000 a commit)`,
          spread(replay, (v) => rate(v, " ev/s")),
          spread(restore, duration),
        ]);
      }
      ctx.log(`3: replay, one record an event (${perRecordSteps})`);
      const perRecord = summarize(
        (
          await page.evaluate(([n, t]) => runlogBench.replayPerRecord(n, t), [
            perRecordSteps,
            RUNS + 1,
          ] as const)
        ).slice(1),
      );
      replayRows.push([
        `${count(perRecordSteps)} events, one record each (1 a commit)`,
        spread(perRecord, (v) => rate(v, " ev/s")),
        "—",
      ]);
      return [
        `### 3. ${this.title}`,
        "",
        `Run ${new Date().toISOString()}${ctx.quick ? " (quick)" : ""} on ${machineLine(ctx.machine)}. Headless Chromium`,
        `driven by Playwright; the page is bundled with Vite and served on 127.0.0.1 (cross-origin isolated: ${isolated ? "yes, 5 µs timers" : "no, 100 µs timers"}).`,
        "Per-step time is the gap between calls of the step function; min / **median** / max of each",
        "run's p50, p99 over all steps. The bare put loop is the floor: what one readwrite transaction with",
        "one small `put` costs. `relaxed` is IndexedDB's default-durability hint; `strict` asks Chromium",
        "to flush before the transaction completes. The store's default (`auto`) is relaxed while a run",
        "runs and strict when it blocks or ends.",
        "",
        table(["what", "steps", "p50 (min / median / max)", "p99", "÷ bare put"], rows),
        "",
        "Replay (read every record, fold) and restore (snapshot 63 events before the head, then the tail):",
        "",
        table(
          ["log", "replay rate (min / median / max)", "restore (min / median / max)"],
          replayRows,
        ),
        "",
        `Targets: one readwrite transaction a step, ≤ 1 ms p50: ${duration(relaxedP50)} relaxed (${verdict(relaxedP50 <= 1)}), ${times(strictRatio)} the bare strict put; replay ≥ 100k events/s: ${rate(minRate, " ev/s")} batched (${verdict(minRate >= 100_000)}), ${rate(perRecord.median, " ev/s")} one record an event; restore ≤ 10 ms: ${duration(maxRestore)} (${verdict(maxRestore <= 10)}).`,
      ].join("\n");
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  },
};
