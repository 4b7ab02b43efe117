import {
  type AbortSignalLike,
  type ActionExecutor,
  type ActionResult,
  createExecutor,
  createHost,
  defineTool,
  MemoryRunStore,
  ToolRegistry,
  type Workflow,
  workflow,
} from "../src/index.ts";
import { type BenchContext, type Benchmark, RUNS } from "./lib/context.ts";
import { count, duration, spread, table, times, verdict } from "./lib/format.ts";
import { machineLine } from "./lib/machine.ts";
import { repeat, type Summary, summarize } from "./lib/stats.ts";

/** A no-op tool: answers its input at once. */
const echo: ActionExecutor = {
  execute: (_runId, action): ActionResult => ({
    type: "success",
    output: action.type === "callTool" ? action.input : null,
  }),
};

function lines(steps: number): Record<"generator" | "async", Workflow<null, unknown>> {
  return {
    generator: workflow("line-gen", 1, function* (ctx) {
      let x = 0;
      for (let i = 0; i < steps; i++) x = (yield* ctx.tool<number>("echo", i)) + 1;
      return x;
    }) as Workflow<null, unknown>,
    async: workflow("line-async", 1, async (ctx) => {
      let x = 0;
      for (let i = 0; i < steps; i++) x = (await ctx.tool<number>("echo", i)) + 1;
      return x;
    }) as Workflow<null, unknown>,
  };
}

/** ms per step of one straight-line run of `steps` tool calls on a fresh memory host. */
async function lineRunMs(
  kind: "generator" | "async",
  steps: number,
  live: boolean,
): Promise<number> {
  const wf = lines(steps)[kind];
  const host = createHost({
    store: new MemoryRunStore(),
    workflows: [wf],
    executor: echo,
    ...(live ? {} : { maxLiveRuns: 0 }),
  });
  const t0 = performance.now();
  const done = await host.start(wf.name, null, { runId: "r", wait: true });
  const ms = performance.now() - t0;
  if (done.status !== "completed" || done.output !== steps)
    throw new Error(`the ${kind} run ended ${done.status} with ${String(done.output)}`);
  return ms / steps;
}

const sleep = (ms: number, signal?: AbortSignalLike) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** ms for a run of `width` tools of `toolMs` each, all asked for at once (`Promise.all`). */
async function fanOutMs(width: number, toolMs: number): Promise<number> {
  const slow = defineTool({
    name: "slow",
    description: "sleeps",
    input: { safeParse: (v: unknown) => ({ success: true as const, data: v }) },
    handler: async (_input, ctx) => {
      await sleep(toolMs, ctx.signal);
      return "ok";
    },
  });
  const wf = workflow("fan", 1, async (ctx) =>
    Promise.all(Array.from({ length: width }, (_, i) => ctx.tool("slow", i))),
  );
  const host = createHost({
    store: new MemoryRunStore(),
    workflows: [wf],
    executor: createExecutor({ tools: new ToolRegistry([slow]) }),
  });
  const t0 = performance.now();
  const done = await host.start("fan", null, { runId: "f", wait: true });
  if (done.status !== "completed") throw new Error(`the fan-out run ended ${done.status}`);
  return performance.now() - t0;
}

/** Cancel during a long tool: ms until `cancel` answered, and until the handler saw its signal. */
async function cancelMs(toolMs: number): Promise<{ cancelled: number; aborted: number }> {
  let started: () => void = () => undefined;
  const running = new Promise<void>((r) => {
    started = r;
  });
  let abortedAt = Number.NaN;
  const long = defineTool({
    name: "long",
    description: "runs long unless aborted",
    input: { safeParse: (v: unknown) => ({ success: true as const, data: v }) },
    handler: async (_input, ctx) => {
      ctx.signal.addEventListener("abort", () => {
        abortedAt = performance.now();
      });
      started();
      await sleep(toolMs, ctx.signal);
      return "done";
    },
  });
  const wf = workflow("long", 1, async (ctx) => ctx.tool("long", null));
  const host = createHost({
    store: new MemoryRunStore(),
    workflows: [wf],
    executor: createExecutor({ tools: new ToolRegistry([long]) }),
  });
  await host.start("long", null, { runId: "c" });
  await running;
  const t0 = performance.now();
  const info = await host.cancel("c");
  const cancelled = performance.now() - t0;
  if (info.status !== "cancelled") throw new Error(`the run is ${info.status} after cancel`);
  return { cancelled, aborted: abortedAt - t0 };
}

/** Measure 9: live workflows, parallel effects and abortable actions. */
export const liveWorkflows: Benchmark = {
  id: 10,
  title: "Live workflows, parallel effects, cancel in flight (Node, memory store)",
  async run(ctx: BenchContext): Promise<string> {
    const small = 100;
    const large = ctx.quick ? 2000 : 5000;
    const replayCap = ctx.quick ? 500 : 1000;
    const rows: string[][] = [];
    const ratios: string[] = [];
    for (const kind of ["generator", "async"] as const) {
      // The sizes are measured in turns, round by round, so that a load that comes and goes on a
      // shared machine weighs on each of them alike.
      const cases = [
        { live: true, steps: small },
        { live: true, steps: replayCap },
        { live: true, steps: large },
        { live: false, steps: small },
        { live: false, steps: replayCap },
      ];
      const samples = new Map<string, number[]>(cases.map((c) => [`${c.live}:${c.steps}`, []]));
      for (let round = 0; round <= RUNS; round++) {
        for (const c of cases) {
          ctx.log(`10: ${kind} ${c.live ? "live" : "replaying"} N=${c.steps} round ${round}`);
          const inner = Math.max(1, Math.ceil(2000 / c.steps));
          let sum = 0;
          for (let i = 0; i < inner; i++) sum += await lineRunMs(kind, c.steps, c.live);
          // Round 0 warms up and is dropped.
          if (round > 0) samples.get(`${c.live}:${c.steps}`)?.push(sum / inner);
        }
      }
      const measured = new Map<string, Summary>();
      for (const c of cases) {
        const s = summarize(samples.get(`${c.live}:${c.steps}`) ?? []);
        measured.set(`${c.live}:${c.steps}`, s);
        rows.push([
          kind,
          c.live ? "live (default)" : "replay every decision (`maxLiveRuns: 0`)",
          count(c.steps),
          spread(s, duration),
        ]);
      }
      const a = measured.get(`true:${small}`)?.median ?? Number.NaN;
      const b = measured.get(`true:${large}`)?.median ?? Number.NaN;
      const r = measured.get(`false:${replayCap}`)?.median ?? Number.NaN;
      const ratio = b / a;
      ratios.push(
        `${kind}: per step at N = ${count(large)} is ${times(ratio)} the cost at N = ${small} (target ≤ 1.5×: ${verdict(ratio <= 1.5)}); replaying every decision costs ${times(r / (measured.get(`true:${replayCap}`)?.median ?? Number.NaN))} the live cost at N = ${count(replayCap)}`,
      );
    }

    const toolMs = 200;
    ctx.log("9: one tool vs four in parallel");
    const one = await repeat(() => fanOutMs(1, toolMs), { runs: RUNS, warmup: 1 });
    const four = await repeat(() => fanOutMs(4, toolMs), { runs: RUNS, warmup: 1 });
    const fanRatio = four.median / one.median;

    ctx.log("9: cancel during a 30 s tool");
    const cancels: { cancelled: number; aborted: number }[] = [];
    const cancelled = await repeat(
      async () => {
        const c = await cancelMs(30_000);
        cancels.push(c);
        return c.cancelled;
      },
      { runs: RUNS, warmup: 1 },
    );
    const aborted = cancels.slice(1).map((c) => c.aborted);
    const worstAbort = Math.max(...aborted);
    return [
      `### 10. ${this.title}`,
      "",
      `Run ${new Date().toISOString()}${ctx.quick ? " (quick)" : ""} on ${machineLine(ctx.machine)}.`,
      "",
      "A straight-line workflow of N no-op `ctx.tool` calls (`yield*` in a generator, `await` in an",
      "async function) on a `MemoryRunStore` host, started with `wait`: whole-run time over N,",
      "min / **median** / max of 5 samples (each the mean of enough runs to make 2,000 steps; the",
      "sizes are measured in turns, round by round, after a dropped warm-up round). Live",
      "keeps the running code between decisions; `maxLiveRuns: 0` turns that off, so every decision",
      "replays the body from the start over the recorded results (the behaviour before; the line",
      "reducer is append-only in both).",
      "",
      table(["body", "mode", "N", "per step (min / median / max)"], rows),
      "",
      ...ratios.map((r) => `- ${r}`),
      "",
      `Parallel effects: an async workflow of \`Promise.all\` over 4 tools that each sleep ${toolMs} ms,`,
      `against one such tool: ${spread(four, duration)} vs ${spread(one, duration)}, ratio`,
      `${times(fanRatio)} (target ≤ 1.3×: ${verdict(fanRatio <= 1.3)}).`,
      "",
      "Cancel during a 30 s tool (the handler listens to its signal): `host.cancel` answered with the",
      `run cancelled in ${spread(cancelled, duration)}; the handler's signal fired at most`,
      `${duration(worstAbort)} after the call (target ≤ 50 ms: ${verdict(Math.max(cancelled.max, worstAbort) <= 50)}).`,
    ].join("\n");
  },
};
