import { rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import autocannon from "autocannon";
import { createRunApi } from "../adapters/http/index.ts";
import { createNodeHost } from "../adapters/node/index.ts";
import { type BenchContext, type Benchmark, RUNS } from "./lib/context.ts";
import { duration, rate, spread, table, verdict } from "./lib/format.ts";
import { machineLine } from "./lib/machine.ts";
import { quantile, repeat } from "./lib/stats.ts";

/** Latencies (ms) and failures of one POST /runs/:id/resume per run id, `concurrency` at a time. */
async function resumeAll(
  base: string,
  ids: readonly string[],
  concurrency: number,
): Promise<{ ms: number[]; failed: number }> {
  const ms: number[] = [];
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      const t0 = performance.now();
      const response = await fetch(`${base}/runs/${id}/resume`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ value: { approved: true } }),
      });
      await response.arrayBuffer();
      ms.push(performance.now() - t0);
      if (response.status !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ms, failed };
}

/**
 * `n` runs of demo.approval started with `POST /runs?wait=true`, `concurrency` at a time: each
 * answer comes once the run has echoed and blocked on its interrupt (a strict commit). Returns the
 * runs per second over the whole load, each request's latency (ms) and the failures.
 */
async function startAll(
  base: string,
  n: number,
  concurrency: number,
): Promise<{ perSecond: number; ms: number[]; failed: number }> {
  const ms: number[] = [];
  let failed = 0;
  let left = n;
  const body = JSON.stringify({ workflow: "demo.approval", input: { text: "hello" } });
  const worker = async () => {
    while (left > 0) {
      left--;
      const t0 = performance.now();
      const response = await fetch(`${base}/runs?wait=true`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const run = (await response.json()) as { status?: string };
      ms.push(performance.now() - t0);
      if (response.status !== 201 || run.status !== "blocked") failed++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { perSecond: n / ((performance.now() - t0) / 1000), ms, failed };
}

/** Measure 8: the HTTP API on Node: resume round trips and runs started per second on 127.0.0.1. */
export const http: Benchmark = {
  id: 8,
  title: "HTTP on Node",
  async run(ctx: BenchContext): Promise<string> {
    const path = join(ctx.tmpDir, "http.db");
    const host = await createNodeHost({ path, recover: false, demos: true });
    const app = createRunApi({ host });
    const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const perRound = ctx.quick ? 40 : 500;
    const amount = ctx.quick ? 100 : 1000;
    let started = 0;
    const blockedRuns = async (n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const run = await host.start(
          "demo.approval",
          { text: "hello" },
          { wait: true, runId: `r-${++started}` },
        );
        if (run.status !== "blocked") throw new Error(`run ${run.runId} is ${run.status}`);
        ids.push(run.runId);
      }
      return ids;
    };
    try {
      const rows: string[][] = [];
      let failures = 0;
      let p99Worst = 0;
      for (const concurrency of [1, 16]) {
        ctx.log(`8: resume round trips, concurrency ${concurrency}`);
        const pooled: number[] = [];
        const s = await repeat(
          async () => {
            const ids = await blockedRuns(perRound);
            const r = await resumeAll(base, ids, concurrency);
            failures += r.failed;
            pooled.push(...r.ms);
            return quantile(r.ms, 0.5);
          },
          { runs: RUNS, warmup: 1 },
        );
        const p99 = quantile(pooled, 0.99);
        p99Worst = Math.max(p99Worst, p99);
        rows.push([
          `\`POST /runs/:id/resume\`, ${concurrency} at a time (fetch)`,
          String(perRound * RUNS),
          spread(s, duration),
          duration(p99),
          "",
          "",
        ]);
      }
      ctx.log("8: runs started and blocked per second (fetch, fixed count)");
      const starts: string[][] = [];
      const startCount = ctx.quick ? 200 : 2000;
      for (const concurrency of [16, 64]) {
        const pooled: number[] = [];
        const s = await repeat(
          async () => {
            const r = await startAll(base, startCount, concurrency);
            failures += r.failed;
            pooled.push(...r.ms);
            return r.perSecond;
          },
          { runs: RUNS, warmup: 1 },
        );
        starts.push([
          `\`POST /runs?wait=true\` demo.approval, ${concurrency} at a time (fetch)`,
          `${startCount} × ${RUNS}`,
          spread(s, (v) => rate(v, " runs/s")),
          duration(quantile(pooled, 0.5)),
          duration(quantile(pooled, 0.99)),
        ]);
      }
      ctx.log("8: runs started per second (autocannon)");
      const throughput: string[][] = [];
      for (const connections of ctx.quick ? [16] : [1, 16]) {
        const latencies: number[] = [];
        let errors = 0;
        const s = await repeat(
          async () => {
            const t0 = performance.now();
            const r = await autocannon({
              url: `${base}/runs`,
              connections,
              amount,
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ workflow: "demo.approval", input: { text: "hello" } }),
            });
            errors += r.errors + r.timeouts + r.non2xx;
            latencies.push(r.latency.p99);
            return r["2xx"] / ((performance.now() - t0) / 1000);
          },
          { runs: RUNS, warmup: 1 },
        );
        failures += errors;
        throughput.push([
          `\`POST /runs\` demo.approval, ${connections} connection${connections > 1 ? "s" : ""} (autocannon)`,
          `${amount} requests × ${RUNS}`,
          spread(s, (v) => rate(v, " runs/s")),
          `${Math.max(...latencies).toFixed(0)} ms`,
          String(errors),
        ]);
      }
      return [
        `### 8. ${this.title}`,
        "",
        `Run ${new Date().toISOString()}${ctx.quick ? " (quick)" : ""} on ${machineLine(ctx.machine)}.`,
        "",
        "The HTTP API (`createRunApi`) served by `@hono/node-server` on 127.0.0.1 over a Node host on",
        "a SQLite file (default durability), load generated in the same process. Resume: runs of",
        "`demo.approval` are started and blocked on their interrupt beforehand (not timed); each request",
        "answers one and returns once `Resumed` is recorded (the run completes in the background).",
        "min / **median** / max of each round's p50; p99 over all requests.",
        "",
        table(
          ["request", "requests", "p50 (min / median / max)", "p99", "", ""].slice(0, 4),
          rows.map((r) => r.slice(0, 4)),
        ),
        "",
        "Runs started and blocked per second: a fixed number of `POST /runs?wait=true`, each answered",
        "once its run has echoed and blocked on its interrupt (that commit is strict: durable before",
        "the answer); runs/s over each round's whole load, p50 and p99 over all requests:",
        "",
        table(["request", "requests", "runs/s (min / median / max)", "p50", "p99"], starts),
        "",
        "Runs started per second (each run then echoes and blocks on its interrupt in the background):",
        "",
        table(
          [
            "request",
            "load",
            "runs/s (min / median / max)",
            "worst p99 (autocannon, ms)",
            "errors",
          ],
          throughput,
        ),
        "",
        `Target: no error under load: ${failures} failed requests (${verdict(failures === 0)}); resume p99 ${duration(p99Worst)} (reported).`,
      ].join("\n");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await host.close();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
    }
  },
};
