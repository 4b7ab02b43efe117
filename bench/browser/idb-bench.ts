// The page bench/indexeddb.ts loads in Chromium (bundled by Vite): the kernel on IdbStore, a bare
// idb put loop, and replay and restore, each returning its numbers to the driver.
import { openDB } from "idb";
import { type IdbDurability, IdbStore } from "../../adapters/idb/index.ts";
import { counterKernel, counterStart, gaps } from "../lib/counter.ts";
import type { IdbBenchPage } from "../lib/idb-page.ts";
import { buildCounterLog, saveSnapshotBefore } from "../lib/logs.ts";

type Durability = "relaxed" | "strict";
let databases = 0;
const fresh = (what: string) => `bench-${what}-${Date.now()}-${++databases}`;

/** Per-step ms of a counter run of `steps` on a new IdbStore: one readwrite transaction a step. */
async function kernelSteps(steps: number, durability: IdbDurability): Promise<number[]> {
  const store = await IdbStore.open({ name: fresh("kernel"), durability });
  const marks: number[] = [];
  const status = await counterKernel(store, { steps }, { marks }).runUntilBlocked(
    "bench",
    counterStart,
  );
  if (status.type !== "completed") throw new Error(`the run ended ${status.type}`);
  return gaps(marks);
}

/**
 * Per-transaction ms of `n` readwrite transactions of a small record: `put` alone, `get` awaited
 * before the `put` (a head check that waits for its answer), or `get` and `put` issued together.
 */
async function barePuts(
  n: number,
  durability: Durability,
  mode: "put" | "get-then-put" | "get-with-put" = "put",
): Promise<number[]> {
  const db = await openDB(fresh("puts"), 1, {
    upgrade(d) {
      d.createObjectStore("s", { keyPath: "id" });
    },
  });
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const tx = db.transaction("s", "readwrite", { durability });
    const record = { id: i, seq: i, ts: 0, event: { type: "StateUpdated", payload: { count: i } } };
    if (mode === "get-then-put") await tx.store.get(i - 1);
    const reads = mode === "get-with-put" ? [tx.store.get(i - 1)] : [];
    await Promise.all([...reads, tx.store.put(record), tx.done]);
    out.push(performance.now() - t0);
  }
  db.close();
  return out;
}

/** Replay rates (events/s, `times` runs) and restore times (ms) of a counter log of `events`. */
async function replayAndRestore(
  events: number,
  times: number,
): Promise<{ replay: number[]; restore: number[]; records: number }> {
  const store = await IdbStore.open({ name: fresh("replay"), durability: "relaxed" });
  await buildCounterLog(store, "bench", events);
  const head = await store.head("bench");
  const kernel = counterKernel(store, { steps: events, end: "interrupt" });
  const replay: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const state = await kernel.replay("bench", counterStart);
    const ms = performance.now() - t0;
    if (state.count !== events) throw new Error(`replay counted ${state.count}`);
    replay.push(head / (ms / 1000));
  }
  await saveSnapshotBefore(store, "bench", 63);
  const restore: number[] = [];
  for (let i = 0; i < times; i++) {
    const k = counterKernel(store, { steps: events, end: "interrupt" });
    const t0 = performance.now();
    const state = await k.replayFromSnapshot("bench", counterStart);
    restore.push(performance.now() - t0);
    if (state.count !== events) throw new Error(`restore counted ${state.count}`);
  }
  return { replay, restore, records: Math.ceil(events / 1000) + 1 };
}

/** Replay rate (events/s) of a log written one event a commit, so one record an event. */
async function replayPerRecord(steps: number, times: number): Promise<number[]> {
  const store = await IdbStore.open({ name: fresh("records"), durability: "relaxed" });
  await counterKernel(store, { steps }, { snapshots: false }).runUntilBlocked(
    "bench",
    counterStart,
  );
  const head = await store.head("bench");
  const kernel = counterKernel(store, { steps });
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await kernel.replay("bench", counterStart);
    out.push(head / ((performance.now() - t0) / 1000));
  }
  return out;
}

/** What the page offers the driver. */
export const runlogBench: IdbBenchPage = {
  kernelSteps,
  barePuts,
  replayAndRestore,
  replayPerRecord,
  crossOriginIsolated: () =>
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
  userAgent: () => (globalThis as { navigator?: { userAgent: string } }).navigator?.userAgent ?? "",
};

(globalThis as { runlogBench?: IdbBenchPage }).runlogBench = runlogBench;
