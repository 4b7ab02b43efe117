// A child process of bench/memory.ts, run with --expose-gc: measures what the heap retains for one
// workload and prints one JSON line. Usage: memory-child.ts <mode> <n> <runs> [dir]
import { rmSync } from "node:fs";
import { join } from "node:path";
import { SqliteStore } from "../adapters/node/index.ts";
import { approvalDemo, demoExecutor } from "../src/demos/index.ts";
import { createMemoryHost, MemoryRunStore } from "../src/index.ts";
import { counterKernel, counterStart } from "./lib/counter.ts";
import { collectGarbage } from "./lib/stats.ts";
import { langGraphCounter, MemorySaver, runLangGraphCounter } from "./peers/langgraph.ts";

function heap(): { heapUsed: number; rss: number; external: number } {
  collectGarbage();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss, external: m.external };
}

const keep: unknown[] = [];

/**
 * Heap bytes retained by what `build` makes and returns. `build` runs in its own frame, so that
 * nothing of an earlier round stays reachable from this one's registers.
 */
async function retained(build: () => Promise<unknown>): Promise<number> {
  keep.length = 0;
  const base = heap().heapUsed;
  keep.push(await build());
  return heap().heapUsed - base;
}

/** Bytes retained per event of a counter run of `n` steps on a MemoryRunStore, `runs` times. */
async function eventsRetained(n: number, runs: number): Promise<number[]> {
  const perEvent: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const steps = i === 0 ? Math.min(n, 1000) : n;
    const bytes = await retained(async () => {
      const store = new MemoryRunStore();
      const kernel = counterKernel(store, { steps });
      await kernel.runUntilBlocked("bench", counterStart);
      return [store, kernel];
    });
    // steps StateUpdated events and the Completed one.
    if (i > 0) perEvent.push(bytes / (steps + 1));
  }
  return perEvent;
}

async function main(): Promise<unknown> {
  const [mode, nText, runsText, dir] = process.argv.slice(2);
  const n = Number(nText);
  const runs = Number(runsText ?? "1");
  if (!(collectGarbage as unknown) || !(globalThis as { gc?: unknown }).gc)
    throw new Error("run me with --expose-gc");
  switch (mode) {
    case "events": {
      // Each size (comma-separated) in turn: a warm-up run so that code and caches are in place
      // before the baseline, then `runs` runs.
      const perEvent: Record<string, number[]> = {};
      for (const size of (nText ?? "").split(",").map(Number)) {
        perEvent[String(size)] = await eventsRetained(size, runs);
      }
      return { perEvent };
    }
    case "idle": {
      // Runs of demo.approval on a memory host, each blocked on its interrupt and held by the host.
      const perRun: number[] = [];
      let events = 0;
      for (let r = 0; r <= runs; r++) {
        const count = r === 0 ? 100 : n;
        const bytes = await retained(async () => {
          const host = createMemoryHost({ workflows: [approvalDemo], executor: demoExecutor() });
          events = 0;
          for (let i = 0; i < count; i++) {
            const run = await host.start(
              "demo.approval",
              { text: "hello" },
              { wait: true, runId: `run-${i}` },
            );
            if (run.status !== "blocked") throw new Error(`run ${i} is ${run.status}`);
            events += await host.store.head(`run-${i}`);
          }
          return host;
        });
        if (r > 0) perRun.push(bytes / count);
      }
      return { perRun, eventsPerRun: events / n };
    }
    case "durable": {
      const path = join(dir ?? ".", "memory-durable.db");
      const store = SqliteStore.open(path);
      const points: { events: number; heapUsed: number; rss: number }[] = [];
      try {
        for (const target of [1e3, 1e4, 1e5, 1e6].filter((x) => x <= n)) {
          // Each phase counts the same run further, 100 events a commit, then blocks on an interrupt.
          const kernel = counterKernel(store, { steps: target, end: "interrupt", batch: 100 });
          const status = await kernel.runUntilBlocked("bench", counterStart);
          if (status.type === "blocked" && status.blocked.interrupt) {
            await kernel.resume("bench", counterStart, null, { drive: false });
          }
          await kernel.runUntilBlocked("bench", counterStart);
          const h = heap();
          points.push({ events: await store.head("bench"), heapUsed: h.heapUsed, rss: h.rss });
        }
      } finally {
        store.close();
        for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
      }
      return { points };
    }
    case "langgraph": {
      const perStep: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const steps = i === 0 ? Math.min(n, 50) : n;
        const bytes = await retained(async () => {
          const saver = new MemorySaver();
          const graph = langGraphCounter({ steps }, saver);
          await runLangGraphCounter(graph, "bench", steps);
          return [saver, graph];
        });
        if (i > 0) perStep.push(bytes / steps);
      }
      return { perStep };
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
