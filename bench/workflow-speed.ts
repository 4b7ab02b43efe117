import {
  type ActionExecutor,
  type ActionResult,
  createHost,
  defineWorkflow,
  MemoryRunStore,
  type Workflow,
  workflow,
} from "../src/index.ts";
import { type BenchContext, type Benchmark, RUNS } from "./lib/context.ts";
import { count, duration, spread, table, times, verdict } from "./lib/format.ts";
import { machineLine } from "./lib/machine.ts";
import { type Summary, summarize } from "./lib/stats.ts";

type RunHost = ReturnType<typeof createHost>;

/** The three ways to write the same run: N no-op tool calls, each output feeding the next. */
export type Kind = "step" | "generator" | "async";
export const KINDS: readonly Kind[] = ["step", "generator", "async"];

const NAMES: Record<Kind, string> = {
  step: "hand-written step function (`defineWorkflow`)",
  generator: "`workflow()` generator (`yield*`)",
  async: "`workflow()` async function (`await`)",
};

/** A no-op tool: answers its input at once. */
const echo: ActionExecutor = {
  execute: (_runId, action): ActionResult => ({
    type: "success",
    output: action.type === "callTool" ? action.input : null,
  }),
};

interface Counted {
  i: number;
  x: number;
}

/** The run of `steps` tool calls, written the `kind` way; every kind ends with output `steps`. */
// biome-ignore lint/suspicious/noExplicitAny: the three kinds have three state types.
export function speedWorkflow(kind: Kind, steps: number): Workflow<null, any> {
  if (kind === "step") {
    return defineWorkflow<null, Counted>({
      name: "speed-step",
      init: () => ({ i: 0, x: 0 }),
      step: (s) =>
        s.i < steps
          ? { type: "do", action: { type: "callTool", tool: "echo", input: s.i } }
          : { type: "complete", output: s.x },
      reduce: (s, se) =>
        se.event.type === "ActionSucceeded"
          ? { i: s.i + 1, x: (se.event.output as number) + 1 }
          : s,
    });
  }
  if (kind === "generator") {
    return workflow<null, number>("speed-generator", 1, function* (ctx) {
      let x = 0;
      for (let i = 0; i < steps; i++) x = (yield* ctx.tool<number>("echo", i)) + 1;
      return x;
    });
  }
  return workflow<null, number>("speed-async", 1, async (ctx) => {
    let x = 0;
    for (let i = 0; i < steps; i++) x = (await ctx.tool<number>("echo", i)) + 1;
    return x;
  });
}

/** A memory host with the `kind` run of `steps` steps registered. */
function hostFor(kind: Kind, steps: number): { host: RunHost; name: string } {
  const wf = speedWorkflow(kind, steps);
  return {
    host: createHost({ store: new MemoryRunStore(), workflows: [wf], executor: echo }),
    name: wf.name,
  };
}

/** ms per step of one whole run of `steps` steps on a fresh memory host, started with `wait`. */
export async function runMsPerStep(kind: Kind, steps: number): Promise<number> {
  const { host, name } = hostFor(kind, steps);
  const t0 = performance.now();
  const done = await host.start(name, null, { runId: "r", wait: true });
  const ms = performance.now() - t0;
  if (done.status !== "completed" || done.output !== steps)
    throw new Error(`the ${kind} run of ${steps} ended ${done.status} with ${String(done.output)}`);
  return ms / steps;
}

/** A host holding one completed `kind` run of `steps` steps, for replay and verify. */
export async function recordedRun(kind: Kind, steps: number): Promise<RunHost> {
  const { host, name } = hostFor(kind, steps);
  const done = await host.start(name, null, { runId: "r", wait: true });
  if (done.status !== "completed") throw new Error(`the ${kind} run ended ${done.status}`);
  return host;
}

/** ms per event of `host.replay` (a fold of the whole log) and of `host.verify`. */
export async function replayVerifyMs(
  host: RunHost,
  events: number,
): Promise<{ replay: number; verify: number }> {
  let t0 = performance.now();
  await host.replay("r");
  const replay = (performance.now() - t0) / events;
  t0 = performance.now();
  const report = await host.verify("r");
  const verify = (performance.now() - t0) / events;
  if (!report.ok) throw new Error(report.message);
  return { replay, verify };
}

/** What one pass measures. */
export interface SpeedSizes {
  /** Run lengths for the per-step cost of whole runs. */
  runs: readonly number[];
  /** Run lengths for replay and verify. */
  replays: readonly number[];
  /** Counted rounds (one dropped warm-up round comes first). */
  rounds: number;
  /** Each run sample is the mean of enough runs to make this many steps. */
  stepsPerSample: number;
  log?: (message: string) => void;
}

/** Samples per kind and size: ms per step of runs, ms per event of replay and of verify. */
export interface SpeedSamples {
  run: Map<string, Summary>;
  replay: Map<string, Summary>;
  verify: Map<string, Summary>;
  /** Events in the log of a run of each size (the same for every kind). */
  events: Map<number, number>;
}

export const key = (kind: Kind, n: number): string => `${kind}:${n}`;

/**
 * Measures every kind at every size in turns, round by round, so that a load that comes and goes
 * on a shared machine weighs on each alike.
 */
export async function measureSpeed(o: SpeedSizes): Promise<SpeedSamples> {
  const log = o.log ?? (() => undefined);
  const run = new Map<string, number[]>();
  const replay = new Map<string, number[]>();
  const verify = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, k: string, v: number) => {
    const list = m.get(k) ?? [];
    list.push(v);
    m.set(k, list);
  };
  for (let round = 0; round <= o.rounds; round++) {
    for (const n of o.runs) {
      for (const kind of KINDS) {
        log(`12: ${kind} run N=${n} round ${round}`);
        const inner = Math.max(1, Math.ceil(o.stepsPerSample / n));
        let sum = 0;
        for (let i = 0; i < inner; i++) sum += await runMsPerStep(kind, n);
        if (round > 0) push(run, key(kind, n), sum / inner);
      }
    }
  }
  const events = new Map<number, number>();
  for (const n of o.replays) {
    const hosts = new Map<Kind, RunHost>();
    for (const kind of KINDS) {
      log(`12: recording a ${kind} run of N=${n}`);
      const host = await recordedRun(kind, n);
      hosts.set(kind, host);
      events.set(n, (await host.get("r")).head);
    }
    for (let round = 0; round <= o.rounds; round++) {
      for (const kind of KINDS) {
        log(`12: ${kind} replay and verify N=${n} round ${round}`);
        const host = hosts.get(kind) as RunHost;
        const ms = await replayVerifyMs(host, events.get(n) ?? n);
        if (round > 0) {
          push(replay, key(kind, n), ms.replay);
          push(verify, key(kind, n), ms.verify);
        }
      }
    }
  }
  const summaries = (m: Map<string, number[]>) =>
    new Map([...m].map(([k, v]) => [k, summarize(v)] as const));
  return { run: summaries(run), replay: summaries(replay), verify: summaries(verify), events };
}

const median = (m: Map<string, Summary>, kind: Kind, n: number): number =>
  m.get(key(kind, n))?.median ?? Number.NaN;

/** The Markdown of one pass. */
export function speedSection(title: string, header: string, o: SpeedSizes, s: SpeedSamples) {
  const runRows: string[][] = [];
  for (const n of o.runs) {
    const base = median(s.run, "step", n);
    for (const kind of KINDS) {
      const m = s.run.get(key(kind, n));
      runRows.push([
        NAMES[kind],
        count(n),
        m ? spread(m, duration) : "–",
        kind === "step" ? "1×" : times(median(s.run, kind, n) / base),
      ]);
    }
  }
  const lines: string[] = [];
  const [small, large] = [o.runs[0], o.runs[o.runs.length - 1]] as [number, number];
  for (const kind of ["generator", "async"] as const) {
    const worst = Math.max(...o.runs.map((n) => median(s.run, kind, n) / median(s.run, "step", n)));
    const growth = median(s.run, kind, large) / median(s.run, kind, small);
    lines.push(
      `${kind}: at most ${times(worst)} the step function's cost per step (target ≤ 3×: ${verdict(worst <= 3)}); per step at N = ${count(large)} is ${times(growth)} the cost at N = ${count(small)}`,
    );
  }
  const replayRows: string[][] = [];
  for (const n of o.replays) {
    for (const kind of KINDS) {
      const r = s.replay.get(key(kind, n));
      const v = s.verify.get(key(kind, n));
      replayRows.push([
        NAMES[kind],
        count(n),
        count(s.events.get(n) ?? Number.NaN),
        r ? spread(r, duration) : "–",
        v ? spread(v, duration) : "–",
      ]);
    }
  }
  const [rs, rl] = [o.replays[0], o.replays[o.replays.length - 1]] as [number, number];
  for (const kind of KINDS) {
    const r = median(s.replay, kind, rl) / median(s.replay, kind, rs);
    const v = median(s.verify, kind, rl) / median(s.verify, kind, rs);
    lines.push(
      `${kind}: per event at N = ${count(rl)} against N = ${count(rs)}: replay ${times(r)}, verify ${times(v)} (1× is linear)`,
    );
  }
  return [
    `### 12. ${title}`,
    "",
    header,
    "",
    "The same run written three ways, on a `MemoryRunStore` host with a no-op `echo` tool: N tool",
    "calls, each output feeding the next (2 events a step: `ActionRequested`, `ActionSucceeded`).",
    "Whole-run time over N, started with `wait`; min / **median** / max of",
    `${o.rounds} samples, each the mean of enough runs to make ${count(o.stepsPerSample)} steps. Kinds`,
    "and sizes are measured in turns, round by round, after a dropped warm-up round; the ratio is",
    "the median against the step function's median at the same N.",
    "",
    table(["written as", "N", "per step (min / median / max)", "ratio"], runRows),
    "",
    "Replay (`host.replay`: the reducer folds the whole log) and verify (`host.verify`: the code is",
    "re-driven over the log, every decision compared, the SHA-256 of the log computed) of one",
    "completed run, per event, same rounds:",
    "",
    table(["written as", "N", "events", "replay per event", "verify per event"], replayRows),
    "",
    ...lines.map((l) => `- ${l}`),
  ].join("\n");
}

/** Measure 12: `workflow()` and async workflows next to the hand-written step function. */
export const workflowSpeed: Benchmark = {
  id: 12,
  title:
    "Workflow speed: `workflow()` and async workflows against the step function (Node, memory store)",
  async run(ctx: BenchContext): Promise<string> {
    const o: SpeedSizes = {
      runs: [1e3, 1e4],
      replays: ctx.quick ? [1e3, 1e4] : [1e3, 1e4, 1e5],
      rounds: RUNS,
      stepsPerSample: ctx.quick ? 10_000 : 20_000,
      log: (m) => ctx.log(m),
    };
    const samples = await measureSpeed(o);
    const header = `Run ${new Date().toISOString()}${ctx.quick ? " (quick)" : ""} on ${machineLine(ctx.machine)}.`;
    return speedSection(this.title, header, o, samples);
  },
};
