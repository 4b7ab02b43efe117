// The bench worker bench/durable-object.ts runs in local workerd: a Durable Object that runs the
// counter on DurableObjectStore and times itself, and a Cloudflare Workflows class running the
// same loop with step.do. Methods return results (never throw across RPC).
import {
  DurableObject,
  WorkflowEntrypoint,
  type WorkflowEvent,
  type WorkflowStep,
} from "cloudflare:workers";
import {
  type DurableObjectStorageLike,
  DurableObjectStore,
} from "../../adapters/cloudflare/index.ts";
import type { SequencedEvent } from "../../src/index.ts";
import { metaOf, sequence, summarize } from "../../src/store-kit/index.ts";
import { counterKernel, counterStart } from "../lib/counter.ts";
import { buildCounterLog, saveSnapshotBefore } from "../lib/logs.ts";

interface Env {
  BENCH_OBJECT: DurableObjectNamespace<BenchObject>;
  COUNTER_WORKFLOW: Workflow<CounterParams>;
}

interface CounterParams {
  steps: number;
  wait?: boolean;
}

type Result<T> = ({ ok: true } & T) | { ok: false; message: string };

async function attempt<T>(fn: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, ...(await fn()) };
  } catch (error) {
    return {
      ok: false,
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

let runs = 0;

/** A SQLite-backed object whose methods run the counter on its own storage and time it. */
export class BenchObject extends DurableObject<Env> {
  #commits = 0;
  readonly #storage: DurableObjectStorageLike = {
    sql: this.ctx.storage.sql,
    transactionSync: <T>(closure: () => T): T => {
      this.#commits++;
      return this.ctx.storage.transactionSync(closure);
    },
  };
  readonly #store = new DurableObjectStore(this.#storage);

  /** A counter run of `steps` (1 event a step, or 3 with a tool call), timed inside the object. */
  steps(steps: number, tool: boolean, batch: number) {
    return attempt(async () => {
      const kernel = counterKernel(this.#store, { steps, tool, batch });
      const runId = `steps-${++runs}`;
      const commits = this.#commits;
      const t0 = performance.now();
      const status = await kernel.runUntilBlocked(runId, counterStart);
      const ms = performance.now() - t0;
      if (status.type !== "completed") throw new Error(`the run ended ${status.type}`);
      return { ms, events: await this.#store.head(runId), commits: this.#commits - commits };
    });
  }

  /**
   * The floors of one step's commit, per event: a bare SQL insert in its own `transactionSync`, and
   * `DurableObjectStore.append` of one prebuilt event with its summary (no kernel).
   */
  floors(n: number) {
    return attempt(async () => {
      const sql = this.ctx.storage.sql;
      sql.exec(
        "CREATE TABLE IF NOT EXISTS bench_floor (run_id TEXT, seq INTEGER, ts INTEGER, body TEXT, PRIMARY KEY (run_id, seq))",
      );
      const runId = `floor-${++runs}`;
      const body = JSON.stringify({
        type: "StateUpdated",
        payload: { count: 1, tools: 0, resumes: 0 },
      });
      const t0 = performance.now();
      for (let i = 1; i <= n; i++) {
        this.ctx.storage.transactionSync(() =>
          sql.exec(
            "INSERT INTO bench_floor (run_id, seq, ts, body) VALUES (?, ?, ?, ?)",
            runId,
            i,
            Date.now(),
            body,
          ),
        );
      }
      const insertMs = (performance.now() - t0) / n;
      const batches: SequencedEvent[][] = [];
      for (let i = 0; i < n; i++)
        batches.push(
          sequence(
            [{ type: "StateUpdated", payload: { count: i + 1, tools: 0, resumes: 0 } }],
            i,
            Date.now(),
          ),
        );
      const appendRun = `append-${runs}`;
      const a0 = performance.now();
      for (let i = 0; i < n; i++) {
        const batch = batches[i] as SequencedEvent[];
        await this.#store.append(appendRun, batch, {
          expectedHead: i,
          summary: summarize(appendRun, metaOf(batch), 0),
        });
      }
      const appendMs = (performance.now() - a0) / n;
      return { insertMs, appendMs };
    });
  }

  readonly #marks = new Map<string, number>();

  /** Notes that a workflow instance has counted (the Workflows peer calls it from a step). */
  mark(key: string, at: number): void {
    this.#marks.set(key, at);
  }

  /** When the instance counted, if it has. */
  marked(key: string): number | null {
    return this.#marks.get(key) ?? null;
  }

  /** Restore (snapshot 63 before the head + tail) of a log of `events`, `times` times: total ms. */
  restore(events: number, times: number) {
    return attempt(async () => {
      const runId = `restore-${++runs}`;
      await buildCounterLog(this.#store, runId, events);
      await saveSnapshotBefore(this.#store, runId, 63);
      const t0 = performance.now();
      for (let i = 0; i < times; i++) {
        const state = await counterKernel(this.#store, {
          steps: events,
          end: "interrupt",
        }).replayFromSnapshot(runId, counterStart);
        if (state.count !== events) throw new Error(`restore counted ${state.count}`);
      }
      const restoreMs = (performance.now() - t0) / times;
      const r0 = performance.now();
      const state = await counterKernel(this.#store, { steps: events }).replay(runId, counterStart);
      const replayMs = performance.now() - r0;
      if (state.count !== events) throw new Error(`replay counted ${state.count}`);
      return { restoreMs, replayMs, head: await this.#store.head(runId) };
    });
  }

  /** `times` resumes of a run of `events` blocked on an interrupt, by one kernel that holds it: total ms. */
  resumes(events: number, times: number) {
    return attempt(async () => {
      const runId = `resume-${++runs}`;
      await buildCounterLog(this.#store, runId, events);
      const kernel = counterKernel(this.#store, { steps: events, end: "interrupt" });
      await kernel.status(runId, counterStart);
      const commits = this.#commits;
      const t0 = performance.now();
      for (let i = 0; i < times; i++) {
        const status = await kernel.resume(runId, counterStart, i);
        if (status.type !== "blocked") throw new Error(`after a resume the run is ${status.type}`);
      }
      return { ms: (performance.now() - t0) / times, commits: (this.#commits - commits) / times };
    });
  }
}

/** The counter as a Workflow: one `step.do` a count; optionally waits for an event `go` after. */
export class CounterWorkflow extends WorkflowEntrypoint<Env, CounterParams> {
  override async run(event: WorkflowEvent<CounterParams>, step: WorkflowStep) {
    const startedAt = await step.do("started", async () => Date.now());
    let count = 0;
    for (let i = 0; i < event.payload.steps; i++) {
      count = await step.do(`count-${i}`, async () => count + 1);
    }
    const countedAt = await step.do("counted", async () => {
      const at = Date.now();
      // Tells the driver that the instance is about to wait, so it can send the event.
      await this.env.BENCH_OBJECT.get(this.env.BENCH_OBJECT.idFromName("marks")).mark(
        event.instanceId,
        at,
      );
      return at;
    });
    if (!event.payload.wait) return { count, startedAt, countedAt };
    await step.waitForEvent("go", { type: "go", timeout: "1 hour" });
    const resumedAt = await step.do("resumed", async () => Date.now());
    return { count, startedAt, countedAt, resumedAt };
  }
}

const json = (value: unknown) => Response.json(value);

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const q = (name: string, fallback: number) => Number(url.searchParams.get(name) ?? fallback);
    const object = () =>
      env.BENCH_OBJECT.get(env.BENCH_OBJECT.idFromName(url.searchParams.get("object") ?? "bench"));
    switch (url.pathname) {
      case "/do/steps":
        return json(
          await object().steps(q("n", 1000), url.searchParams.get("tool") === "1", q("batch", 1)),
        );
      case "/do/floors":
        return json(await object().floors(q("n", 1000)));
      case "/wf/marked": {
        const marks = env.BENCH_OBJECT.get(env.BENCH_OBJECT.idFromName("marks"));
        return json({ at: await marks.marked(url.searchParams.get("id") ?? "") });
      }
      case "/do/restore":
        return json(await object().restore(q("n", 1000), q("times", 20)));
      case "/do/resumes":
        return json(await object().resumes(q("n", 1000), q("times", 50)));
      case "/wf/start": {
        const instance = await env.COUNTER_WORKFLOW.create({
          params: { steps: q("n", 100), wait: url.searchParams.get("wait") === "1" },
        });
        return json({ id: instance.id });
      }
      case "/wf/status": {
        const instance = await env.COUNTER_WORKFLOW.get(url.searchParams.get("id") ?? "");
        const status = await instance.status();
        return json({
          status: status.status,
          output: status.output ?? null,
          error: status.error ?? null,
        });
      }
      case "/wf/event": {
        const instance = await env.COUNTER_WORKFLOW.get(url.searchParams.get("id") ?? "");
        const sentAt = Date.now();
        await instance.sendEvent({ type: "go", payload: {} });
        return json({ sentAt });
      }
      default:
        return new Response("not found", { status: 404 });
    }
  },
} satisfies ExportedHandler<Env>;
