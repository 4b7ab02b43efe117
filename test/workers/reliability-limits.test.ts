// Limits of the Durable Object store under a running kernel, in workerd: a tool output past the
// 2 MB row limit is chunked and survives eviction; one past 16 MiB is refused by the store
// (nothing of it written) and the kernel records the refusal as the action's final failure.
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import {
  type ActionExecutor,
  type Json,
  Kernel,
  parseExport,
  type Reducer,
  type SequencedEvent,
  type StepFn,
} from "runlog";
import { canonicalJson, eventLine, hashEvents, sequence } from "runlog/store-kit";
import { beforeAll, describe, expect, it } from "vitest";
import { DurableObjectStore, MAX_BODY_BYTES } from "../../adapters/cloudflare/index.ts";

type State = { sizes: number[] };
/** Calls tool `big` once per entry of `sizes` (its output that many bytes), then completes. */
const stepFor = (sizes: number[]): StepFn<State> => ({
  next: (s) =>
    s.sizes.length < sizes.length
      ? {
          type: "do",
          action: { type: "callTool", tool: "big", input: sizes[s.sizes.length] as number },
        }
      : { type: "complete", output: s.sizes },
});
const reducer: Reducer<State> = {
  apply: (s, se) =>
    se.event.type === "ActionSucceeded"
      ? { sizes: [...s.sizes, (se.event.output as string).length] }
      : s,
};
const executor: ActionExecutor = {
  execute: (_runId, action) => ({
    type: "success",
    output: "x".repeat((action as { input: number }).input) as Json,
  }),
};

const stores = new WeakMap<object, DurableObjectStore>();
function inObject<R>(
  id: DurableObjectId,
  fn: (store: DurableObjectStore, state: DurableObjectState) => Promise<R>,
) {
  return runInDurableObject(env.STORE_TEST.get(id), (instance: object, state) => {
    let store = stores.get(instance);
    if (!store) {
      store = new DurableObjectStore(state.storage);
      stores.set(instance, store);
    }
    return fn(store, state);
  });
}

const rows = (state: DurableObjectState, table: string, runId: string) =>
  state.storage.sql
    .exec<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE run_id = ?`, runId)
    .one().n;

describe("Durable Object store limits under a kernel", () => {
  it("records a 5 MiB tool output in chunk rows and reads it back whole after eviction", async () => {
    const id = env.STORE_TEST.idFromName(`limits-big-${Date.now()}`);
    const size = 5 * 1024 * 1024;
    const first = await inObject(id, async (store, state) => {
      const kernel = new Kernel<State>({
        events: store,
        snapshots: store,
        reducer,
        executor,
        step: stepFor([size]),
      });
      const status = await kernel.runUntilBlocked("big", { sizes: [] });
      return { status: status.type, chunks: rows(state, "runlog_chunks", "big") };
    });
    expect(first.status).toBe("completed");
    // The output is in the ActionSucceeded event; the final snapshot's state holds only its size.
    expect(first.chunks).toBeGreaterThanOrEqual(5);
    const aborted = await runInDurableObject(env.STORE_TEST.get(id), (_i, state) =>
      state.abort("evicted by the test"),
    ).catch((e: unknown) => e);
    expect(String(aborted)).toMatch(/evicted by the test/);
    const again = await inObject(id, async (store) => {
      const events = await store.read("big");
      const output = events.find((e) => e.event.type === "ActionSucceeded")?.event as {
        output: string;
      };
      return { length: output.output.length, types: events.map((e) => e.event.type) };
    });
    expect(again).toEqual({
      length: size,
      types: ["ActionRequested", "ActionSucceeded", "Completed"],
    });
  });

  it("records a tool output over 16 MiB as the action's final failure, writing none of the output", async () => {
    const id = env.STORE_TEST.idFromName(`limits-huge-${Date.now()}`);
    const result = await inObject(id, async (store, state) => {
      const kernel = new Kernel<State>({
        events: store,
        snapshots: store,
        reducer,
        executor,
        step: stepFor([10, MAX_BODY_BYTES + 1]),
      });
      const status = await kernel.runUntilBlocked("huge", { sizes: [] });
      return {
        status,
        types: (await store.read("huge")).map((e) => e.event.type),
        summary: await store.getRun("huge"),
        chunks: rows(state, "runlog_chunks", "huge"),
      };
    });
    // The store refuses the oversized outcome; running the tool again would be refused again,
    // so the refusal is recorded as the action's final failure and the run fails cleanly.
    expect(result.status).toMatchObject({
      type: "failed",
      error: {
        kind: "permanent",
        code: "output_refused",
        message: expect.stringMatching(/16 MiB/),
      },
    });
    expect(result.types).toEqual([
      "ActionRequested",
      "ActionSucceeded",
      "ActionRequested",
      "ActionFailed",
    ]);
    expect(result.summary).toMatchObject({ head: 4, status: "failed" });
    expect(result.chunks).toBe(0);
  });
});

describe("payload limits through the Worker's API", () => {
  const worker = (path: string, init?: RequestInit) =>
    exports.default.fetch(new Request(`http://runlog.test${path}`, init));
  const json = { "content-type": "application/json" };
  // The export's bytes as text; workerd warns on `.text()` of a body whose type is not text/json.
  const exportText = async (runId: string) =>
    new TextDecoder().decode(await (await worker(`/runs/${runId}/export`)).arrayBuffer());

  beforeAll(async () => {
    await worker("/health");
  }, 60_000);

  it("refuses a JSON body over 1 MiB with 413 and leaves the run as it was", async () => {
    const runId = `limit-api-${Date.now()}`;
    const started = await worker("/runs?wait=true", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ workflow: "demo.signal", input: { name: "go" }, runId }),
    });
    expect(started.status).toBe(201);
    const before = await exportText(runId);
    const big = JSON.stringify({ value: "v".repeat(1024 * 1024) });
    const refused = await worker(`/runs/${runId}/signals/go`, {
      method: "POST",
      headers: json,
      body: big,
    });
    expect(refused.status).toBe(413);
    expect(await exportText(runId)).toBe(before);
  });

  it("imports a run with a 3 MiB event (chunked in its Durable Object) and serves it back whole", async () => {
    const runId = `limit-import-${Date.now()}`;
    const value = "é".repeat(1_600_000);
    const events: SequencedEvent[] = sequence(
      [
        { type: "RunStarted", workflow: "demo.signal", input: { name: "never" }, version: 1 },
        { type: "SignalReceived", name: "go", value, signalId: "big" },
      ],
      0,
      1_767_225_600_000,
    );
    const header = {
      format: "runlog.run",
      version: 1,
      runId,
      head: 2,
      hash: await hashEvents(events),
    };
    const text = `${[canonicalJson(header), ...events.map(eventLine)].join("\n")}\n`;
    expect(new TextEncoder().encode(text).length).toBeGreaterThan(3 * 1024 * 1024);
    const imported = await worker("/runs/import", {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body: text,
    });
    expect(imported.status).toBe(201);
    const exported = await exportText(runId);
    const { events: back } = await parseExport(exported);
    expect(back[1]?.event).toEqual(events[1]?.event);
    const chunks = await runInDurableObject(
      env.RUN_OBJECT.get(env.RUN_OBJECT.idFromName(runId)),
      (_i, state) => rows(state, "runlog_chunks", runId),
    );
    expect(chunks).toBeGreaterThanOrEqual(4);
  });
});
