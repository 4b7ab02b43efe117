// A Durable Object whose run has 10^6 events, in real workerd: it restores from its snapshot and
// the tail, answers, reads its whole log page by page, and the next request to a new object still
// answers. The log is built fast: the store's own append with big batches, inside the object.
// The hang seen after a 10^6-event request through `wrangler`'s local server (bench measure 4) is
// not a Durable Object's: there, the first request after that long one gets no answer even on a
// route that touches no object, and the request after it is answered at once.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import {
  type ActionExecutor,
  type Json,
  Kernel,
  next,
  type Reducer,
  type SequencedEvent,
  type StepFn,
} from "runlog";
import { applyMeta, emptyMeta, type HostStore, sequence } from "runlog/store-kit";
import { describe, expect, it } from "vitest";
import { DurableObjectStore } from "../../adapters/cloudflare/index.ts";

const EVENTS = 1_000_000;
const BATCH = 25_000;
const TAIL = 37;
const T0 = 1_800_000_000_000;

type S = { count: number; answer?: Json };
const reducer: Reducer<S> = {
  apply: (s, se) =>
    se.event.type === "StateUpdated"
      ? { ...s, count: s.count + 1 }
      : se.event.type === "Resumed"
        ? { ...s, answer: se.event.value }
        : s,
};
// Waits for a human once it has counted everything, then completes with what it counted.
const step: StepFn<S> = {
  next: (s) =>
    s.answer === undefined
      ? next.interrupt({ counted: s.count })
      : next.complete({ counted: s.count, answer: s.answer }),
};
const executor: ActionExecutor = {
  execute: () => ({ type: "success", output: null }),
};

/** The store as a Kernel sees it, counting the events its reads return. */
function counted(store: DurableObjectStore): { store: HostStore; read: { events: number } } {
  const read = { events: 0 };
  return {
    read,
    store: {
      append: (...a) => store.append(...a),
      read: async (...a) => {
        const events = await store.read(...a);
        read.events += events.length;
        return events;
      },
      head: (...a) => store.head(...a),
      loadLatest: (...a) => store.loadLatest(...a),
      save: (...a) => store.save(...a),
      getRun: (...a) => store.getRun(...a),
      listRuns: (...a) => store.listRuns(...a),
      wakingRuns: (...a) => store.wakingRuns(...a),
    },
  };
}

const stores = new WeakMap<object, DurableObjectStore>();
const inObject = <R>(stub: DurableObjectStub, fn: (store: DurableObjectStore) => R | Promise<R>) =>
  runInDurableObject(stub, (instance: object, state) => {
    let store = stores.get(instance);
    if (store === undefined) {
      store = new DurableObjectStore(state.storage);
      stores.set(instance, store);
    }
    return fn(store);
  });

const objectNamed = (name: string) =>
  env.STORE_TEST.get(env.STORE_TEST.idFromName(`${name}-${Date.now()}`));

describe("a Durable Object with 10^6 events", () => {
  it("restores from its snapshot and tail, answers, pages through its log, and leaves the next object responsive", async () => {
    const big = objectNamed("big");
    const runId = "big";
    // The log: EVENTS - TAIL counted updates committed with a snapshot at the last of them, then
    // a tail of TAIL more after the snapshot.
    const sizes: number[] = [];
    for (let left = EVENTS - TAIL; left > 0; left -= BATCH) sizes.push(Math.min(BATCH, left));
    sizes.push(TAIL);
    const meta = emptyMeta();
    let head = 0;
    for (const [k, n] of sizes.entries()) {
      const from = head;
      const batch = sequence(
        Array.from({ length: n }, (_, i) => ({
          type: "StateUpdated" as const,
          payload: { n: from + i + 1 },
        })),
        from,
        T0,
      );
      for (const se of batch) applyMeta(meta, se);
      const snapshot =
        k === sizes.length - 2
          ? {
              runId,
              atSeq: from + n,
              state: { count: from + n },
              stateVersion: 1,
              meta: structuredClone(meta),
            }
          : undefined;
      await inObject(big, (store) =>
        store.append(runId, batch, { expectedHead: from, ...(snapshot ? { snapshot } : {}) }),
      );
      head += n;
    }
    expect(await inObject(big, (store) => store.head(runId))).toBe(EVENTS);

    // Restore: the snapshot and the tail only, then an answer and a resume.
    const restored = await inObject(big, async (store) => {
      const { store: seen, read } = counted(store);
      const kernel = new Kernel<S>({ events: seen, snapshots: seen, reducer, step, executor });
      const blocked = await kernel.runUntilBlocked(runId, { count: 0 });
      const readOnRestore = read.events;
      const done = await kernel.resume(runId, { count: 0 }, "yes");
      return { blocked, readOnRestore, done };
    });
    expect(restored.blocked).toMatchObject({ type: "blocked" });
    expect(restored.readOnRestore).toBe(TAIL);
    expect(restored.done).toEqual({
      type: "completed",
      output: { counted: EVENTS, answer: "yes" },
    });

    // The whole log, page by page, in the object: every seq once, in order.
    const paged = await inObject(big, async (store) => {
      let from = 1;
      let total = 0;
      let ordered = true;
      for (;;) {
        const page: SequencedEvent[] = await store.read(runId, from, 10_000);
        if (page.length === 0) break;
        for (const se of page) if (se.seq !== ++total) ordered = false;
        from = (page[page.length - 1] as SequencedEvent).seq + 1;
      }
      return { total, ordered };
    });
    expect(paged).toEqual({ total: EVENTS + 3, ordered: true });

    // And one read of all of it at once, which goes through the store's own pages.
    const all = await inObject(big, async (store) => {
      const events = await store.read(runId);
      return { length: events.length, last: events[events.length - 1]?.event.type };
    });
    expect(all).toEqual({ length: EVENTS + 3, last: "Completed" });

    // The next request, to a new object, still answers.
    const fresh = objectNamed("after-big");
    const answered = await inObject(fresh, async (store) => {
      await store.append("small", sequence([{ type: "StateUpdated", payload: 1 }], 0, T0), {
        expectedHead: 0,
      });
      return (await store.read("small")).map((se) => se.seq);
    });
    expect(answered).toEqual([1]);
  }, 600_000);
});
