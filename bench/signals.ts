// Measure 11: what a signal costs as a run's history of signals grows, and how many commits
// signals add to a drive in progress. `node --import tsx bench/signals.ts` runs it alone
// (`--quick` for small sizes; RUNLOG_BENCH_SIGNALS_PRIOR=N sets the larger history);
// `npm run bench -- --only=11` runs it in the suite.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SqliteStore } from "../adapters/node/index.ts";
import {
  type ActionExecutor,
  createHost,
  defineWorkflow,
  type Json,
  MemoryRunStore,
  type SequencedEvent,
} from "../src/index.ts";
import { metaOf, summarize as summarizeRun } from "../src/store-kit/index.ts";
import { type BenchContext, type Benchmark, RUNS } from "./lib/context.ts";
import { count, duration, spread, table, times, verdict } from "./lib/format.ts";
import { machineLine } from "./lib/machine.ts";
import { type Summary, summarize } from "./lib/stats.ts";

/** Waits for `of` signals named `tick`, one at a time; the state is two numbers. */
const ticks = defineWorkflow<{ of: number }, { n: number; of: number }>({
  name: "bench.ticks",
  init: (input) => ({ n: 0, of: input.of }),
  step: (s) =>
    s.n < s.of
      ? { type: "do", action: { type: "waitSignal", name: "tick" } }
      : { type: "complete", output: s.n },
  reduce: (s, se) => (se.event.type === "ActionSucceeded" ? { ...s, n: s.n + 1 } : s),
});

/** `steps` quick tool calls, then done: a drive that stays busy while signals come in. */
const busy = defineWorkflow<{ steps: number }, { n: number; steps: number }>({
  name: "bench.busy",
  init: (input) => ({ n: 0, steps: input.steps }),
  step: (s) =>
    s.n < s.steps
      ? { type: "do", action: { type: "callTool", tool: "quick", input: s.n } }
      : { type: "complete", output: s.n },
  reduce: (s, se) => (se.event.type === "ActionSucceeded" ? { ...s, n: s.n + 1 } : s),
});

/** A tool that answers after a timer turn, so signals sent meanwhile reach the host. */
const quick: ActionExecutor = {
  execute: async (_runId, action) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { type: "success", output: action.type === "callTool" ? action.input : null };
  },
};

/** The log of a `ticks` run that has consumed `prior` signals, made once on a memory host. */
async function priorLog(prior: number, room: number): Promise<SequencedEvent[]> {
  const store = new MemoryRunStore();
  const host = createHost({ store, workflows: [ticks] });
  await host.start(ticks.name, { of: prior + room }, { runId: "r", wait: true });
  for (let i = 0; i < prior; i++)
    await host.signal("r", "tick", i, { signalId: `p${i}`, wait: true });
  await host.close();
  return store.read("r", 1);
}

type StoreKind = "memory" | "sqlite" | "sqlite-relaxed";

/** ms per signal (sent with `wait`, each consumed) on a run that holds `log` already. */
async function signalMs(
  kind: StoreKind,
  log: SequencedEvent[],
  measured: number,
  path: string,
): Promise<number> {
  const store =
    kind === "memory"
      ? new MemoryRunStore()
      : SqliteStore.open(path, { durability: kind === "sqlite" ? "per-commit" : "relaxed" });
  const last = log[log.length - 1] as SequencedEvent;
  await store.append("r", log, {
    expectedHead: 0,
    summary: summarizeRun("r", metaOf(log), last.ts),
  });
  const host = createHost({ store, workflows: [ticks] });
  const send = (i: number) =>
    host.signal("r", "tick", { i }, { signalId: `m${i}`, wait: true }) as Promise<unknown>;
  // The first restores the run from its log; the next ones warm the code.
  for (let i = 0; i < 20; i++) await send(i);
  const t0 = performance.now();
  for (let i = 20; i < 20 + measured; i++) await send(i);
  const ms = (performance.now() - t0) / measured;
  await host.close();
  if (store instanceof SqliteStore) store.close();
  return ms;
}

/** Commits of one `busy` run of `steps` steps, with `signals` sent one by one while it runs. */
async function busyCommits(steps: number, signals: number): Promise<number> {
  const host = createHost({ store: new MemoryRunStore(), workflows: [busy], executor: quick });
  // The host's store announces each commit (an append with events) to its listeners.
  let commits = 0;
  host.onCommit(() => {
    commits += 1;
  });
  const done = host.start(busy.name, { steps }, { runId: "b", wait: true });
  // Spread over the drive: one signal every few steps, each awaited until it is recorded.
  const every = Math.max(1, Math.floor(steps / (signals + 1)));
  for (let i = 0; i < signals; i++) {
    await new Promise((resolve) => setTimeout(resolve, every));
    await host.signal("b", "note", i as Json, { signalId: `n${i}` });
  }
  const info = await done;
  if (info.status !== "completed") throw new Error(`the busy run ended ${info.status}`);
  const recorded = (await host.events("b", 1, 100_000)).events.filter(
    (se) => se.event.type === "SignalReceived",
  ).length;
  await host.close();
  if (recorded !== signals) throw new Error(`${recorded} of ${signals} signals were recorded`);
  return commits;
}

/** Measure 11: bounded signal bookkeeping. */
export const signals: Benchmark = {
  id: 11,
  title: "Signals: cost against the run's signal history, commits during a drive (Node)",
  async run(ctx: BenchContext): Promise<string> {
    const few = 10;
    const many = Number(process.env.RUNLOG_BENCH_SIGNALS_PRIOR) || (ctx.quick ? 2_000 : 10_000);
    // Enough signals per sample that a sample lasts tens of ms on either store.
    const measured: Record<StoreKind, number> = {
      memory: ctx.quick ? 500 : 2_000,
      sqlite: ctx.quick ? 100 : 300,
      "sqlite-relaxed": ctx.quick ? 300 : 1_000,
    };
    ctx.log(`11: building logs with ${few} and ${many} consumed signals`);
    const logs = new Map([
      [few, await priorLog(few, 10_000)],
      [many, await priorLog(many, 10_000)],
    ]);
    const rows: string[][] = [];
    const ratios: string[] = [];
    let file = 0;
    for (const kind of ["memory", "sqlite", "sqlite-relaxed"] as const) {
      const samples = new Map<number, number[]>([
        [few, []],
        [many, []],
      ]);
      // Round 0 warms up and is dropped; the sizes alternate so a passing load weighs on both.
      for (let round = 0; round <= RUNS; round++) {
        for (const prior of [few, many]) {
          ctx.log(`11: ${kind}, ${prior} prior signals, round ${round}`);
          const path = join(ctx.tmpDir, `signals-${file++}.db`);
          const ms = await signalMs(kind, logs.get(prior) ?? [], measured[kind], path);
          if (round > 0) samples.get(prior)?.push(ms);
        }
      }
      const s = new Map<number, Summary>(
        [...samples].map(([prior, list]) => [prior, summarize(list)]),
      );
      for (const prior of [few, many])
        rows.push([kind, count(prior), spread(s.get(prior) as Summary, duration)]);
      const ratio = (s.get(many)?.median ?? Number.NaN) / (s.get(few)?.median ?? Number.NaN);
      ratios.push(
        `${kind}: a signal with ${count(many)} prior signals costs ${times(ratio)} the cost with ${few} (target ≤ 1.2×: ${verdict(ratio <= 1.2)})`,
      );
    }

    const steps = ctx.quick ? 200 : 1_000;
    const k = ctx.quick ? 20 : 100;
    ctx.log(`11: commits of a ${steps}-step drive, without and with ${k} signals`);
    const without = await busyCommits(steps, 0);
    const withSignals = await busyCommits(steps, k);
    const extra = (withSignals - without) / k;

    return [
      `### 11. ${this.title}`,
      "",
      `Run ${new Date().toISOString()}${ctx.quick ? " (quick)" : ""} on ${machineLine(ctx.machine)}.`,
      "",
      "One signal sent with `wait` to a run that waits for it (`waitSignal` in a loop) and consumes",
      `it, through \`createHost\`, on a run whose log already holds ${few} or ${count(many)} consumed`,
      `signals (the log is written in one append; the first 20 signals restore the run and warm up):`,
      `mean time per signal over ${count(measured.memory)} (memory), ${count(measured.sqlite)} (sqlite) or ${count(measured["sqlite-relaxed"])} (sqlite-relaxed) signals, min / **median** / max of`,
      `${RUNS} rounds after a dropped warm-up round, the two sizes in turns. \`sqlite\` is a file with`,
      "the default `per-commit` durability (the commit that blocks the run again is synced, so an",
      "fsync dominates); `sqlite-relaxed` never syncs, which shows what the bookkeeping costs.",
      "",
      table(["store", "prior signals", "per signal (min / median / max)"], rows),
      "",
      ...ratios.map((r) => `- ${r}`),
      "",
      `Commits (store \`append\` calls) of a run of ${steps} quick tool steps (each waits a timer`,
      `turn) on a memory host: ${count(without)} without signals, ${count(withSignals)} with ${k}`,
      "signals sent one by one while it runs (each awaited until recorded, none consumed):",
      `**${extra.toFixed(2)} extra commits per signal** (the mailbox's target is 0).`,
    ].join("\n");
  },
};

// Alone: `node --import tsx bench/signals.ts [--quick]`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { machine } = await import("./lib/machine.ts");
  const tmpDir = mkdtempSync(join(tmpdir(), "runlog-bench-signals-"));
  try {
    const section = await signals.run({
      quick: process.argv.includes("--quick"),
      machine: machine(),
      tmpDir,
      log: (m) => process.stderr.write(`${m}\n`),
    });
    process.stdout.write(`${section}\n`);
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}
