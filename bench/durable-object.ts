import { fileURLToPath } from "node:url";
import { type BenchContext, type Benchmark, RUNS } from "./lib/context.ts";
import { count, duration, rate, spread, table, times, verdict } from "./lib/format.ts";
import { machineLine, packageVersion } from "./lib/machine.ts";
import { repeat, type Summary } from "./lib/stats.ts";

const CONFIG = fileURLToPath(new URL("./workerd/wrangler.toml", import.meta.url));

type Answer<T> = ({ ok: true } & T) | { ok: false; message: string };

interface WorkflowOutput {
  count: number;
  startedAt: number;
  countedAt: number;
  resumedAt?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Measure 4: the kernel in a Durable Object in local workerd, against Cloudflare Workflows there. */
export const durableObject: Benchmark = {
  id: 4,
  title: "Durable Object in local workerd",
  async run(ctx: BenchContext): Promise<string> {
    process.env.WRANGLER_SEND_METRICS = "false";
    process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
    const { unstable_startWorker } = await import("wrangler");
    ctx.log("4: starting the bench worker (wrangler unstable_startWorker, local workerd)");
    const worker = await unstable_startWorker({
      config: CONFIG,
      dev: {
        server: { hostname: "127.0.0.1", port: 0 },
        inspector: false,
        persist: false,
        logLevel: "warn",
      },
    });
    try {
      await worker.ready;
      const base = await worker.url;
      const get = async <T>(path: string): Promise<T> => {
        const response = await fetch(new URL(path, base));
        if (!response.ok)
          throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
        return (await response.json()) as T;
      };
      const call = async <T>(path: string): Promise<T> => {
        const r = await get<Answer<T>>(path);
        if (!r.ok) throw new Error(`${path}: ${r.message}`);
        return r;
      };
      const sizes = ctx.quick ? [2000] : [1000, 10_000];
      const rows: string[][] = [];
      ctx.log("4: DO floors");
      const floors = await repeat(
        async () =>
          (await call<{ insertMs: number; appendMs: number }>(`/do/floors?n=${sizes[0]}`)).insertMs,
        { runs: RUNS, warmup: 1 },
      );
      const appends = await repeat(
        async () =>
          (await call<{ insertMs: number; appendMs: number }>(`/do/floors?n=${sizes[0]}`)).appendMs,
        { runs: RUNS, warmup: 1 },
      );
      rows.push([
        "floor: bare `INSERT` of one event row, own `transactionSync`",
        count(sizes[0] as number),
        count(sizes[0] as number),
        "1.00 / event",
        spread(floors, duration),
      ]);
      rows.push([
        "`DurableObjectStore.append` of one prebuilt event + summary (no kernel)",
        count(sizes[0] as number),
        count(sizes[0] as number),
        "1.00 / event",
        spread(appends, duration),
      ]);
      let perEventWorst = 0;
      let commitsPerStep = 0;
      for (const steps of sizes) {
        for (const variant of ["counter", "tool", "batch"] as const) {
          ctx.log(`4: DO ${variant} N=${steps}`);
          let events = 0;
          let commits = 0;
          const s = await repeat(
            async () => {
              const r = await call<{ ms: number; events: number; commits: number }>(
                `/do/steps?n=${steps}&tool=${variant === "tool" ? 1 : 0}&batch=${variant === "batch" ? 100 : 1}`,
              );
              events = r.events;
              commits = r.commits;
              return r.ms / r.events;
            },
            { runs: RUNS, warmup: 1 },
          );
          if (variant === "counter") {
            perEventWorst = Math.max(perEventWorst, s.median);
            // N counting decisions and the completing one.
            commitsPerStep = commits / (steps + 1);
          }
          const what =
            variant === "counter"
              ? "count (1 event a step)"
              : variant === "tool"
                ? "count + no-op tool (3 events, 3 commits a step)"
                : "a decision emits 100 events (group commit)";
          const decisions =
            variant === "batch"
              ? Math.ceil(steps / 100) + 1
              : variant === "tool"
                ? steps + 1
                : steps + 1;
          rows.push([
            what,
            count(steps),
            String(events),
            `${(commits / decisions).toFixed(2)} / ${variant === "tool" ? "step" : "decision"}`,
            spread(s, duration),
          ]);
        }
      }
      const restoreSizes = ctx.quick ? [1e3, 3e4] : [1e3, 1e4, 1e5, 1e6];
      const restoreRows: string[][] = [];
      let restoreWorst = 0;
      for (const events of restoreSizes) {
        ctx.log(`4: DO restore at ${events} events`);
        const r = await call<{ restoreMs: number; replayMs: number; head: number }>(
          `/do/restore?n=${events}&times=20&object=restore-${events}`,
        );
        restoreWorst = Math.max(restoreWorst, r.restoreMs);
        restoreRows.push([
          count(events),
          duration(r.restoreMs),
          rate(r.head / (r.replayMs / 1000), " ev/s"),
        ]);
      }
      const resumeRows: string[][] = [];
      for (const events of ctx.quick ? [1e3, 3e4] : [1e3, 1e6]) {
        ctx.log(`4: DO resume at ${events} events`);
        const r = await call<{ ms: number; commits: number }>(
          `/do/resumes?n=${events}&times=50&object=resume-${events}`,
        );
        resumeRows.push([
          "runlog `kernel.resume` in the object",
          count(events),
          duration(r.ms),
          String(r.commits),
        ]);
      }
      const peer = await workflowsPeer(ctx, get);
      resumeRows.push(...peer.resumeRows);
      const ratio = peer.perStep ? peer.perStep.median / perEventWorst : Number.NaN;
      return [
        `### 4. ${this.title}`,
        "",
        `Run ${new Date().toISOString()}${ctx.quick ? " (quick)" : ""} on ${machineLine(ctx.machine)}; wrangler ${packageVersion("wrangler")},`,
        `miniflare ${packageVersion("miniflare")}. The bench worker (bench/workerd/) runs under \`unstable_startWorker\`, offline.`,
        "A SQLite-backed Durable Object runs the counter on `DurableObjectStore(ctx.storage)` and times",
        "itself with `performance.now()` around `runUntilBlocked` (workerd's clock has 1 ms steps, so N",
        "is large enough for tens of ms); commits are counted by wrapping `transactionSync`.",
        "",
        table(
          [
            "run",
            "steps",
            "events",
            "storage commits",
            "object time per appended event (min / median / max)",
          ],
          rows,
        ),
        "",
        "Restore (snapshot 63 events before the head + tail, new kernel, mean of 20) and replay in the object:",
        "",
        table(["events in the log", "restore", "replay rate"], restoreRows),
        "",
        peer.text,
        "",
        "Resume latency (object time; mean of 50 for runlog, one `sendEvent` to the next step for Workflows):",
        "",
        table(["what", "events / steps before", "latency", "commits"], resumeRows),
        "",
        `Targets: ≤ 10 µs object time per appended event: ${duration(perEventWorst)} (${verdict(perEventWorst <= 0.01)}); one storage commit per step: ${commitsPerStep.toFixed(2)} (${verdict(commitsPerStep <= 1.0001)}); restore ≤ 2 ms whatever the length: worst ${duration(restoreWorst)} (${verdict(restoreWorst <= 2)}).`,
        peer.perStep ? `Workflows per step ÷ runlog per event (object time): ${times(ratio)}.` : "",
      ].join("\n");
    } finally {
      await worker.dispose();
    }
  },
};

/** Cloudflare Workflows in the same workerd: the counter with `step.do`, and resume by `sendEvent`. */
async function workflowsPeer(
  ctx: BenchContext,
  get: <T>(path: string) => Promise<T>,
): Promise<{ text: string; perStep: Summary | undefined; resumeRows: string[][] }> {
  const steps = ctx.quick ? 50 : 1000;
  const until = async (id: string, wanted: (status: string) => boolean) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const s = await get<{ status: string; output: WorkflowOutput | null; error: unknown }>(
        `/wf/status?id=${id}`,
      );
      if (wanted(s.status)) return s;
      if (s.status === "errored" || s.status === "terminated")
        throw new Error(`workflow ${id} ${s.status}: ${JSON.stringify(s.error)}`);
      if (Date.now() > deadline) throw new Error(`workflow ${id} still ${s.status} after 120 s`);
      await sleep(5);
    }
  };
  try {
    ctx.log(`4: Workflows, ${steps} steps`);
    const perStep = await repeat(
      async () => {
        const { id } = await get<{ id: string }>(`/wf/start?n=${steps}`);
        const s = await until(id, (status) => status === "complete");
        const out = s.output as WorkflowOutput;
        if (out.count !== steps) throw new Error(`the workflow counted ${out.count}`);
        return (out.countedAt - out.startedAt) / steps;
      },
      { runs: RUNS, warmup: 1 },
    );
    ctx.log(`4: Workflows resume after ${steps} steps`);
    const resume = await repeat(
      async () => {
        const { id } = await get<{ id: string }>(`/wf/start?n=${steps}&wait=1`);
        // Locally the instance stays "running" while it waits; its last step before waiting marks it.
        const deadline = Date.now() + 120_000;
        while ((await get<{ at: number | null }>(`/wf/marked?id=${id}`)).at === null) {
          if (Date.now() > deadline) throw new Error(`workflow ${id} did not count in 120 s`);
          await sleep(5);
        }
        const { sentAt } = await get<{ sentAt: number }>(`/wf/event?id=${id}`);
        const s = await until(id, (status) => status === "complete");
        return ((s.output as WorkflowOutput).resumedAt ?? Number.NaN) - sentAt;
      },
      { runs: RUNS, warmup: 1 },
    );
    return {
      perStep,
      resumeRows: [
        [
          "Workflows `sendEvent` → the step after `waitForEvent`",
          count(steps),
          spread(resume, duration),
          "—",
        ],
      ],
      text: [
        `Peer: a Cloudflare Workflows class (\`WorkflowEntrypoint\`, \`[[workflows]]\` in the bench's wrangler.toml) in the`,
        `same workerd, counting with one \`step.do\` a step: ${spread(perStep, duration)} per step over ${steps} steps`,
        "(its own clock, first step to last), min / **median** / max over the runs. Locally, miniflare's",
        "Workflows engine keeps a waiting instance live in memory (its status stays `running` and",
        "`sendEvent` resolves the waiter), so its resume below has no replay of the earlier steps,",
        "unlike a deployed Workflow that wakes from storage.",
      ].join("\n"),
    };
  } catch (error) {
    return {
      perStep: undefined,
      resumeRows: [],
      text: `Peer: Cloudflare Workflows could not run here: ${String(error).split("\n")[0]}`,
    };
  }
}
