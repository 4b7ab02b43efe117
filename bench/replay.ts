import { rmSync } from "node:fs";
import { join } from "node:path";
import { SqliteStore } from "../adapters/node/index.ts";
import { MemoryRunStore } from "../src/index.ts";
import type { HostStore } from "../src/store-kit/index.ts";
import { type BenchContext, type Benchmark, RUNS } from "./lib/context.ts";
import { counterKernel, counterStart } from "./lib/counter.ts";
import { count, duration, rate, spread, table, times, verdict } from "./lib/format.ts";
import { buildCounterLog, buildToolLog, saveSnapshotBefore } from "./lib/logs.ts";
import { machineLine } from "./lib/machine.ts";
import { repeat, type Summary } from "./lib/stats.ts";

type StoreKind = "memory" | "sqlite";

interface Opened {
  store: HostStore;
  close(): void;
}

function open(ctx: BenchContext, kind: StoreKind, name: string): Opened {
  if (kind === "memory") return { store: new MemoryRunStore(), close: () => undefined };
  const path = join(ctx.tmpDir, `${name}.db`);
  const store = SqliteStore.open(path, { durability: "relaxed" });
  return {
    store,
    close: () => {
      store.close();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
    },
  };
}

/** Measure 5: replay rate, and restore from snapshot + tail against log length; Temporal's replayer. */
export const replay: Benchmark = {
  id: 5,
  title: "Replay and restore (Node)",
  async run(ctx: BenchContext): Promise<string> {
    const sizes: Record<StoreKind, number[]> = ctx.quick
      ? { memory: [1e4, 1e5, 1e6], sqlite: [1e4, 5e4] }
      : { memory: [1e4, 1e5, 1e6], sqlite: [1e4, 1e5, 1e6] };
    const rows: string[][] = [];
    const rates: number[] = [];
    const restores: number[] = [];
    for (const kind of ["memory", "sqlite"] as const) {
      for (const events of sizes[kind]) {
        ctx.log(`5: ${kind} log of ${events} events`);
        const { store, close } = open(ctx, kind, `replay-${events}`);
        try {
          await buildCounterLog(store, "bench", events);
          const head = await store.head("bench");
          const kernel = counterKernel(store, { steps: events, end: "interrupt" });
          const replayRate = await repeat(
            async () => {
              const t0 = performance.now();
              const state = await kernel.replay("bench", counterStart);
              const ms = performance.now() - t0;
              if (state.count !== events) throw new Error(`replay counted ${state.count}`);
              return head / (ms / 1000);
            },
            { runs: RUNS, warmup: 1 },
          );
          await saveSnapshotBefore(store, "bench", 63);
          const restore = await repeat(
            async () => {
              // A new kernel each time: nothing cached, as after a restart.
              const fresh = counterKernel(store, { steps: events, end: "interrupt" });
              const t0 = performance.now();
              const state = await fresh.replayFromSnapshot("bench", counterStart);
              const ms = performance.now() - t0;
              if (state.count !== events) throw new Error(`restore counted ${state.count}`);
              return ms;
            },
            { runs: RUNS, warmup: 1 },
          );
          rates.push(replayRate.median);
          restores.push(restore.median);
          rows.push([
            kind === "memory" ? "MemoryRunStore" : "SqliteStore (file)",
            count(events),
            spread(replayRate, (v) => rate(v, " ev/s")),
            spread(restore, duration),
          ]);
        } finally {
          close();
        }
      }
    }
    const peer = await temporalComparison(ctx);
    const minRate = Math.min(...rates);
    const maxRestore = Math.max(...restores);
    return [
      `### 5. ${this.title}`,
      "",
      `Run ${new Date().toISOString()}${ctx.quick ? " (quick)" : ""} on ${machineLine(ctx.machine)}.`,
      "",
      "Replay folds the whole log through the reducer (`kernel.replay`: read every event, apply).",
      "Restore is what a kernel does when it loads a run it does not hold: the latest snapshot plus",
      "the events after it (`replayFromSnapshot` on a new kernel), with the snapshot 63 events before",
      "the head: the worst case of the default cadence of 64. Logs were written 1000 events a commit.",
      "",
      table(
        [
          "store",
          "events in the log",
          "replay rate (min / median / max)",
          "restore, snapshot + 63 (min / median / max)",
        ],
        rows,
      ),
      "",
      `Targets: replay ≥ 500k events/s: slowest median ${rate(minRate, " ev/s")} (${verdict(minRate >= 500_000)}); restore ≤ 2 ms whatever the length: worst median ${duration(maxRestore)} (${verdict(maxRestore <= 2)}).`,
      "",
      peer,
    ].join("\n");
  },
};

/** runlog's verify and replay against Temporal's replay worker on an equal counter history. */
async function temporalComparison(ctx: BenchContext): Promise<string> {
  const steps = ctx.quick ? 100 : 1000;
  // runlog first: Temporal's runtime and bundle stay in the process once loaded.
  const store = new MemoryRunStore();
  await buildToolLog(store, "bench", steps);
  const runlogEvents = await store.head("bench");
  const kernel = counterKernel(store, { steps, tool: true });
  const verify = await repeat(
    async () => {
      const t0 = performance.now();
      const report = await kernel.verify("bench", counterStart);
      if (!report.ok) throw new Error(report.message);
      return (performance.now() - t0) / steps;
    },
    { runs: RUNS, warmup: 1 },
  );
  const fold = await repeat(
    async () => {
      const t0 = performance.now();
      await kernel.replay("bench", counterStart);
      return (performance.now() - t0) / steps;
    },
    { runs: RUNS, warmup: 1 },
  );
  let temporal: typeof import("./peers/temporal.ts");
  try {
    temporal = await import("./peers/temporal.ts");
  } catch (error) {
    return `Temporal's replayer was skipped: it could not be loaded (${String(error).split("\n")[0]}).`;
  }
  ctx.log(`5: Temporal replayer, ${steps} steps`);
  const bundleStart = performance.now();
  const bundle = await temporal.temporalBundle();
  const bundleMs = performance.now() - bundleStart;
  const history = temporal.counterHistory(steps);
  const temporalEvents = history.events?.length ?? 0;
  let replays = 0;
  const peer = await repeat(
    async () => {
      const t0 = performance.now();
      await temporal.replayTemporal(bundle, history, `bench-${replays++}`);
      return (performance.now() - t0) / steps;
    },
    { runs: RUNS, warmup: 1 },
  );
  const perEventRate = (s: Summary, events: number) => (events * 1000) / (s.median * steps);
  return [
    `Peer: Temporal's TypeScript replayer (\`@temporalio/worker\` ${"`Worker.runReplayHistory`"}, installed from npm with its`,
    "prebuilt core-bridge, runs offline) on the counter with a no-op activity before each count, against",
    "runlog's tool variant of the same loop, both in this process, on the memory store. Temporal's",
    `history has ${temporalEvents} events for ${steps} steps (workflow task + activity, 6 a step); runlog's log`,
    `has ${runlogEvents} (3 a step). \`verify\` is runlog's equivalent of Temporal's replay: it re-drives`,
    `the step function over the log and checks every decision and the SHA-256 hash. Temporal's bundle`,
    `(webpack) took ${duration(bundleMs)} once, not counted.`,
    "",
    table(
      ["system", "what", "per step (min / median / max)", "events/s (median)", "Temporal ÷ runlog"],
      [
        [
          "Temporal",
          "`runReplayHistory`",
          spread(peer, duration),
          rate(perEventRate(peer, temporalEvents), " ev/s"),
          "1.00×",
        ],
        [
          "runlog",
          "`kernel.verify` (re-drive + hash)",
          spread(verify, duration),
          rate(perEventRate(verify, runlogEvents), " ev/s"),
          times(peer.median / verify.median),
        ],
        [
          "runlog",
          "`kernel.replay` (fold)",
          spread(fold, duration),
          rate(perEventRate(fold, runlogEvents), " ev/s"),
          times(peer.median / fold.median),
        ],
      ],
    ),
  ].join("\n");
}
