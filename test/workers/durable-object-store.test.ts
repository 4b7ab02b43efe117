// DurableObjectStore inside real Durable Objects in workerd: every call of the store runs inside
// the object (runInDurableObject), on the object's own SQLite storage.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import {
  type ActionExecutor,
  type Json,
  Kernel,
  KernelError,
  type Reducer,
  type StepFn,
  ValidationError,
} from "runlog";
import { type HostStore, sequence } from "runlog/store-kit";
import { describeHostStore } from "runlog/store-kit/conformance";
import { describe, expect, it } from "vitest";
import {
  CHUNK_BYTES,
  DurableObjectStore,
  MAX_BODY_BYTES,
  readSchemaVersion,
  SCHEMA_VERSION,
} from "../../adapters/cloudflare/index.ts";

type Stub = DurableObjectStub;

// One store per object instance, made on first use as the object's constructor would make it.
const stores = new WeakMap<object, DurableObjectStore>();
let constructed = 0;

function inObject<R>(
  stub: Stub,
  fn: (store: DurableObjectStore, state: DurableObjectState) => R | Promise<R>,
): Promise<R> {
  return runInDurableObject(stub, (instance: object, state) => {
    let store = stores.get(instance);
    if (store === undefined) {
      store = new DurableObjectStore(state.storage);
      constructed += 1;
      stores.set(instance, store);
    }
    return fn(store, state);
  });
}

/** A HostStore whose every call runs inside the Durable Object behind `stub`. */
function storeIn(stub: Stub): HostStore {
  return {
    append: (...a) => inObject(stub, (s) => s.append(...a)),
    read: (...a) => inObject(stub, (s) => s.read(...a)),
    head: (...a) => inObject(stub, (s) => s.head(...a)),
    signalSeq: (...a) => inObject(stub, (s) => s.signalSeq(...a)),
    loadLatest: (...a) => inObject(stub, (s) => s.loadLatest(...a)),
    save: (...a) => inObject(stub, (s) => s.save(...a)),
    getRun: (...a) => inObject(stub, (s) => s.getRun(...a)),
    listRuns: (...a) => inObject(stub, (s) => s.listRuns(...a)),
    wakingRuns: (...a) => inObject(stub, (s) => s.wakingRuns(...a)),
  };
}

let objects = 0;
const freshObject = (): Stub =>
  env.STORE_TEST.get(env.STORE_TEST.idFromName(`store-${Date.now()}-${objects++}`));

const count = (state: DurableObjectState, sql: string, ...bindings: string[]): number =>
  state.storage.sql.exec<{ n: number }>(sql, ...bindings).one().n;

/**
 * Evicts one object as the platform would: its in-memory state (and its store) is gone, its
 * storage stays. workerd logs the abort as an uncaught exception; that line is expected.
 */
async function evict(id: DurableObjectId): Promise<void> {
  const aborted = await runInDurableObject(env.STORE_TEST.get(id), (_instance, state) => {
    state.abort("evicted by the test");
  }).catch((e: unknown) => e);
  expect(String(aborted)).toMatch(/evicted by the test/);
}

describeHostStore("DurableObjectStore in a Durable Object", () => storeIn(freshObject()));

describe("DurableObjectStore: values over the 2 MB row limit", () => {
  // About 3.1 MB of UTF-8 from 1.4 M UTF-16 units: 2-, 3- and 4-byte characters straddle chunk edges.
  const big = "é日本🚀x".repeat(240_000);

  it("splits a 3 MB multi-byte event into chunk rows and reads it back exactly", async () => {
    const stub = freshObject();
    const result = await inObject(stub, async (store, state) => {
      await store.append("big", sequence([{ type: "StateUpdated", payload: { big } }], 0, 1), {
        expectedHead: 0,
      });
      await store.append("big", sequence([{ type: "StateUpdated", payload: "small" }], 1, 2), {
        expectedHead: 1,
      });
      return {
        events: await store.read("big"),
        chunks: count(
          state,
          "SELECT count(*) AS n FROM runlog_chunks WHERE run_id = ? AND kind = 'event'",
          "big",
        ),
        inline: count(state, "SELECT count(*) AS n FROM runlog_events WHERE body IS NOT NULL"),
      };
    });
    const bytes = new TextEncoder().encode(
      JSON.stringify({ type: "StateUpdated", payload: { big } }),
    ).length;
    expect(bytes).toBeGreaterThan(3_000_000);
    expect(result.chunks).toBe(Math.ceil(bytes / CHUNK_BYTES));
    expect(result.inline).toBe(1);
    expect(result.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(result.events[0]?.event).toEqual({ type: "StateUpdated", payload: { big } });
    expect(result.events[1]?.event).toEqual({ type: "StateUpdated", payload: "small" });
  });

  it("splits a 3 MB snapshot and drops its chunks when a small one replaces it", async () => {
    const stub = freshObject();
    const result = await inObject(stub, async (store, state) => {
      await store.append("snap", sequence([{ type: "StateUpdated", payload: 1 }], 0, 1), {
        expectedHead: 0,
        snapshot: { runId: "snap", atSeq: 1, state: { big }, stateVersion: 1 },
      });
      const first = await store.loadLatest("snap");
      const chunksBefore = count(
        state,
        "SELECT count(*) AS n FROM runlog_chunks WHERE kind = 'snapshot'",
      );
      await store.save({ runId: "snap", atSeq: 2, state: "small", stateVersion: 1 });
      const chunksAfter = count(
        state,
        "SELECT count(*) AS n FROM runlog_chunks WHERE kind = 'snapshot'",
      );
      return { first, second: await store.loadLatest("snap"), chunksBefore, chunksAfter };
    });
    expect(result.first).toEqual({ runId: "snap", atSeq: 1, state: { big }, stateVersion: 1 });
    expect(result.chunksBefore).toBeGreaterThan(2);
    expect(result.second).toEqual({ runId: "snap", atSeq: 2, state: "small", stateVersion: 1 });
    expect(result.chunksAfter).toBe(0);
  });

  it("refuses an event over 16 MiB with a ValidationError and writes none of the commit", async () => {
    const stub = freshObject();
    const huge = "x".repeat(MAX_BODY_BYTES);
    const result = await inObject(stub, async (store, state) => {
      const error = await store
        .append(
          "huge",
          sequence(
            [
              { type: "StateUpdated", payload: "fine" },
              { type: "StateUpdated", payload: huge },
            ],
            0,
            1,
          ),
          {
            expectedHead: 0,
            snapshot: { runId: "huge", atSeq: 2, state: 1, stateVersion: 1 },
            summary: { runId: "huge", status: "running", head: 2, createdAt: 1, updatedAt: 1 },
          },
        )
        .catch((e: unknown) => e);
      return {
        error,
        head: await store.head("huge"),
        snapshot: await store.loadLatest("huge"),
        run: await store.getRun("huge"),
        rows: count(
          state,
          "SELECT (SELECT count(*) FROM runlog_events) + (SELECT count(*) FROM runlog_chunks) AS n",
        ),
      };
    });
    expect(ValidationError.is(result.error)).toBe(true);
    expect((result.error as Error).message).toMatch(
      /event seq 2 is \d+ bytes as JSON; .* at most 16777216 bytes/,
    );
    expect(result).toMatchObject({ head: 0, snapshot: undefined, run: undefined, rows: 0 });
  });

  it("refuses a snapshot over 16 MiB passed to save", async () => {
    const stub = freshObject();
    const error = await inObject(stub, (store) =>
      store
        .save({ runId: "s", atSeq: 1, state: "x".repeat(MAX_BODY_BYTES), stateVersion: 1 })
        .catch((e: unknown) => e),
    );
    expect(ValidationError.is(error)).toBe(true);
    expect(await storeIn(stub).loadLatest("s")).toBeUndefined();
  });
});

describe("DurableObjectStore: schema", () => {
  it("stores its schema version and opens an existing database without migrating again", async () => {
    const stub = freshObject();
    const result = await inObject(stub, async (store, state) => {
      await store.append("keep", sequence([{ type: "StateUpdated", payload: 1 }], 0, 1), {
        expectedHead: 0,
      });
      const reopened = new DurableObjectStore(state.storage);
      return { version: readSchemaVersion(state.storage.sql), head: await reopened.head("keep") };
    });
    expect(SCHEMA_VERSION).toBe(2);
    expect(result).toEqual({ version: SCHEMA_VERSION, head: 1 });
  });

  it("fills the signal index of storage of schema 1, inline and chunked events alike", async () => {
    const stub = freshObject();
    const big = "y".repeat(CHUNK_BYTES + 10);
    const sig = (signalId: string, value: Json = null) =>
      ({ type: "SignalReceived", name: "go", value, signalId }) as const;
    const found = await inObject(stub, async (store, state) => {
      await store.append("r", sequence([sig("small"), sig("large", big), sig("small")], 0, 1), {
        expectedHead: 0,
      });
      // Back to schema 1: no index, the version it had.
      state.storage.sql.exec("DROP TABLE runlog_signal_ids");
      state.storage.sql.exec("UPDATE runlog_meta SET value = '1' WHERE key = 'schema_version'");
      const upgraded = new DurableObjectStore(state.storage);
      return {
        version: readSchemaVersion(state.storage.sql),
        small: await upgraded.signalSeq("r", "small"),
        large: await upgraded.signalSeq("r", "large"),
        none: await upgraded.signalSeq("r", "none"),
        chunked: count(state, "SELECT count(*) AS n FROM runlog_events WHERE body IS NULL"),
      };
    });
    expect(found).toEqual({ version: 2, small: 1, large: 2, none: undefined, chunked: 1 });
  });

  it("refuses storage written by a newer schema", async () => {
    const stub = freshObject();
    const error = await inObject(stub, (_store, state) => {
      state.storage.sql.exec(
        "UPDATE runlog_meta SET value = ? WHERE key = 'schema_version'",
        String(SCHEMA_VERSION + 1),
      );
      try {
        new DurableObjectStore(state.storage);
        return undefined;
      } catch (e) {
        return e;
      }
    });
    expect(KernelError.is(error) && error.code).toBe("store");
    expect((error as Error).message).toMatch(/newer than this code/);
  });
});

describe("DurableObjectStore under a Kernel", () => {
  type State = { echoed?: Json; approved?: boolean };
  const step: StepFn<State> = {
    next: (s) =>
      s.echoed === undefined
        ? { type: "do", action: { type: "callTool", tool: "echo", input: "hi" } }
        : s.approved === undefined
          ? { type: "interrupt", value: { question: "ok?" }, interruptId: "approve" }
          : { type: "complete", output: { approved: s.approved, echoed: s.echoed } },
  };
  const reducer: Reducer<State> = {
    apply: (s, se) =>
      se.event.type === "ActionSucceeded"
        ? { ...s, echoed: se.event.output }
        : se.event.type === "Resumed"
          ? { ...s, approved: (se.event.value as { approved: boolean }).approved }
          : s,
  };
  const executor: ActionExecutor = {
    execute: (_runId, action) => ({
      type: "success",
      output: action.type === "callTool" ? action.input : null,
    }),
  };
  const kernelOn = (store: DurableObjectStore) =>
    new Kernel<State>({ events: store, snapshots: store, reducer, executor, step });

  it("runs to an interrupt, survives the object's eviction, and completes on resume", async () => {
    const id = env.STORE_TEST.idFromName(`kernel-${Date.now()}`);
    const blocked = await inObject(env.STORE_TEST.get(id), async (store) => {
      const status = await kernelOn(store).runUntilBlocked("k1", {});
      return {
        status: status.type,
        run: await store.getRun("k1"),
        snapshot: await store.loadLatest("k1"),
      };
    });
    expect(blocked.status).toBe("blocked");
    expect(blocked.run).toMatchObject({ status: "blocked", waitingOn: "interrupt", head: 3 });
    expect(blocked.snapshot).toMatchObject({ atSeq: 3, state: { echoed: "hi" } });

    const before = constructed;
    await evict(id);
    const done = await inObject(env.STORE_TEST.get(id), async (store) => {
      const status = await kernelOn(store).resume(
        "k1",
        {},
        { approved: true },
        { interruptId: "approve" },
      );
      return { status, events: await store.read("k1"), run: await store.getRun("k1") };
    });
    expect(constructed).toBe(before + 1);
    expect(done.status).toMatchObject({ type: "completed" });
    expect(done.events.map((e) => e.event.type)).toEqual([
      "ActionRequested",
      "ActionSucceeded",
      "Interrupted",
      "Resumed",
      "Completed",
    ]);
    expect(done.events.at(-1)?.event).toEqual({
      type: "Completed",
      output: { approved: true, echoed: "hi" },
    });
    expect(done.run).toMatchObject({ status: "completed", head: 5 });
  });
});
