// IdbStore in a real Chromium: the host-store contract, plus what only a real IndexedDB shows:
// data outliving the connection, two tabs' connections racing, a real quota abort, and a kernel
// run that a "reloaded tab" finishes from the snapshot.
import {
  type Action,
  type ActionExecutor,
  ConcurrencyError,
  type Event,
  Kernel,
  KernelError,
  type RunSummary,
  reducer,
  type SequencedEvent,
  type StepFn,
} from "runlog";
import { IdbStore } from "runlog/idb";
import { sequence } from "runlog/store-kit";
import { describeHostStore } from "runlog/store-kit/conformance";
import { afterAll, describe, expect, it, vi } from "vitest";
import { deleteDatabase } from "./idb-cleanup.ts";
import { createSchema1Db } from "./idb-schema-1.ts";

const opened: IdbStore[] = [];
const names: string[] = [];
let counter = 0;

/** A store on a database of its own, closed and deleted after the file. */
async function freshStore(
  name = `runlog-test-${Date.now().toString(36)}-${counter++}`,
): Promise<IdbStore> {
  if (!names.includes(name)) names.push(name);
  const store = await IdbStore.open({ name });
  opened.push(store);
  return store;
}

afterAll(async () => {
  for (const store of opened) store.close();
  await Promise.all(names.map(deleteDatabase));
});

const ev = (n: number): Event => ({ type: "StateUpdated", payload: n });
const payloads = (events: SequencedEvent[]) =>
  events.map((se) => (se.event as { payload: unknown }).payload);
const summary = (runId: string, over: Partial<RunSummary> = {}): RunSummary => ({
  runId,
  status: "running",
  head: 1,
  createdAt: 1000,
  updatedAt: 1000,
  ...over,
});

/** The Storage Buckets API (Chromium), which TypeScript's DOM types do not have yet. */
interface StorageBuckets {
  open(
    name: string,
    options?: { quota?: number },
  ): Promise<{ name: string; indexedDB: IDBFactory }>;
  delete(name: string): Promise<void>;
}

/** `length` characters that no compressor shrinks much. */
function incompressible(length: number): string {
  // getRandomValues gives at most 64 KiB at a time.
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  let text = "";
  for (let i = 0; i < length; i += 8192)
    text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(text).slice(0, length);
}

describeHostStore("IdbStore (Chromium)", () => freshStore());

describe("IdbStore in Chromium", () => {
  it("upgrades a database of schema 1 and fills its signal index from the stored batches", async () => {
    const name = `runlog-test-v1-${Date.now().toString(36)}-${counter++}`;
    names.push(name);
    const sig = (signalId: string): Event => ({
      type: "SignalReceived",
      name: "go",
      value: signalId,
      signalId,
    });
    await createSchema1Db(indexedDB, name, [
      { runId: "a", events: sequence([sig("x"), sig("y")], 0, 1) },
      { runId: "a", events: sequence([ev(0), sig("x")], 2, 2) },
      { runId: "b", events: sequence([sig("y")], 0, 1) },
    ]);
    const store = await freshStore(name);
    expect(await store.signalSeq("a", "x")).toBe(1);
    expect(await store.signalSeq("a", "y")).toBe(2);
    expect(await store.signalSeq("b", "y")).toBe(1);
    expect(await store.signalSeq("b", "x")).toBeUndefined();
    await store.append("a", sequence([sig("z")], 4, 3), { expectedHead: 4 });
    expect(await store.signalSeq("a", "z")).toBe(5);
  });

  it("reads ranges and limits across commit boundaries", async () => {
    const store = await freshStore();
    await store.append("r", sequence([ev(1), ev(2), ev(3)], 0, 1), { expectedHead: 0 });
    await store.append("r", sequence([ev(4)], 3, 2), { expectedHead: 3 });
    await store.append("r", sequence([ev(5), ev(6)], 4, 3), { expectedHead: 4 });
    expect(payloads(await store.read("r", 2, 3))).toEqual([2, 3, 4]);
    expect(payloads(await store.read("r", 3))).toEqual([3, 4, 5, 6]);
    expect(payloads(await store.read("r", 6, 10))).toEqual([6]);
    expect(await store.read("r", 1, 0)).toEqual([]);
    expect(await store.read("r", 7)).toEqual([]);
  });

  it("keeps events, snapshot and summary after the connection closes and the database reopens", async () => {
    const name = `runlog-reopen-${Date.now().toString(36)}`;
    const first = await freshStore(name);
    await first.append("kept", sequence([ev(1), ev(2)], 0, 1000), {
      expectedHead: 0,
      snapshot: { runId: "kept", atSeq: 2, state: { n: 2 }, stateVersion: 1 },
      summary: summary("kept", { head: 2, status: "blocked", waitingOn: "timer", wakeAt: 5000 }),
    });
    first.close();
    const again = await freshStore(name);
    expect(await again.head("kept")).toBe(2);
    expect(payloads(await again.read("kept"))).toEqual([1, 2]);
    expect(await again.loadLatest("kept")).toEqual({
      runId: "kept",
      atSeq: 2,
      state: { n: 2 },
      stateVersion: 1,
    });
    expect(await again.getRun("kept")).toMatchObject({ status: "blocked", wakeAt: 5000 });
    expect((await again.wakingRuns()).map((r) => r.runId)).toEqual(["kept"]);
    await again.append("kept", sequence([ev(3)], 2, 2000), { expectedHead: 2 });
    expect(await again.head("kept")).toBe(3);
  });

  it("fails the stale one of two connections (two tabs) with ConcurrencyError and writes nothing", async () => {
    const name = `runlog-tabs-${Date.now().toString(36)}`;
    const tabA = await freshStore(name);
    const tabB = await freshStore(name);
    await tabA.append("shared", sequence([ev(1)], 0, 1), {
      expectedHead: 0,
      summary: summary("shared"),
    });
    expect(await tabB.head("shared")).toBe(1);
    await tabA.append("shared", sequence([ev(2)], 1, 2), {
      expectedHead: 1,
      summary: summary("shared", { head: 2, status: "completed" }),
    });
    const stale = tabB.append("shared", sequence([ev(666), ev(667)], 1, 3), {
      expectedHead: 1,
      snapshot: { runId: "shared", atSeq: 3, state: "stale", stateVersion: 1 },
      summary: summary("shared", { head: 3, status: "failed" }),
    });
    await expect(stale).rejects.toSatisfy(
      (e: unknown) => ConcurrencyError.is(e) && e.actualHead === 2,
    );
    for (const tab of [tabA, tabB]) {
      expect(payloads(await tab.read("shared"))).toEqual([1, 2]);
      expect(await tab.loadLatest("shared")).toBeUndefined();
      expect(await tab.getRun("shared")).toMatchObject({ status: "completed", head: 2 });
    }
  });

  it("lets exactly one of two connections racing at the same head win", async () => {
    const name = `runlog-race-${Date.now().toString(36)}`;
    const [tabA, tabB] = [await freshStore(name), await freshStore(name)];
    const results = await Promise.allSettled([
      tabA.append("race", sequence([ev(1)], 0, 1), { expectedHead: 0, summary: summary("race") }),
      tabB.append("race", sequence([ev(2), ev(3)], 0, 1), {
        expectedHead: 0,
        summary: summary("race", { head: 2 }),
      }),
    ]);
    const won = results.findIndex((r) => r.status === "fulfilled");
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(won).not.toBe(-1);
    expect(ConcurrencyError.is(lost.reason)).toBe(true);
    const want = won === 0 ? [1] : [2, 3];
    expect(payloads(await tabA.read("race"))).toEqual(want);
    expect(await tabB.getRun("race")).toMatchObject({ head: want.length });
  });

  it("fails a commit over the storage quota with a clear store error and writes none of it", async () => {
    // A storage bucket with a quota of its own: Chromium's real quota check, on this bucket only.
    const buckets = (navigator as Navigator & { storageBuckets: StorageBuckets }).storageBuckets;
    const bucket = await buckets.open(`runlog-quota-${Date.now().toString(36)}`, {
      quota: 512 * 1024,
    });
    const store = await IdbStore.open({ indexedDB: bucket.indexedDB });
    try {
      const runId = "full";
      await store.append(runId, sequence([ev(1)], 0, 1), {
        expectedHead: 0,
        snapshot: { runId, atSeq: 1, state: "small", stateVersion: 1 },
        summary: summary(runId),
      });
      const big: Event = { type: "StateUpdated", payload: incompressible(2 * 1024 * 1024) };
      const failure = await store
        .append(runId, sequence([ev(2), big], 1, 2), {
          expectedHead: 1,
          snapshot: { runId, atSeq: 3, state: "big", stateVersion: 1 },
          summary: summary(runId, { head: 3, status: "completed" }),
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(KernelError.is(failure) && failure.code).toBe("store");
      expect((failure as Error).message).toBe(
        "run full: storage quota is exhausted; the commit of seq 2..3 was aborted and nothing was written",
      );
      expect(((failure as Error).cause as DOMException).name).toBe("QuotaExceededError");
      expect(await store.head(runId)).toBe(1);
      expect(payloads(await store.read(runId))).toEqual([1]);
      expect(await store.loadLatest(runId)).toMatchObject({ atSeq: 1, state: "small" });
      expect(await store.getRun(runId)).toMatchObject({ head: 1, status: "running" });
    } finally {
      store.close();
      await buckets.delete(bucket.name);
    }
  });

  it("aborts the whole commit when a value cannot be stored, and says nothing was written", async () => {
    const store = await freshStore();
    await store.append("clone", sequence([ev(1)], 0, 1), {
      expectedHead: 0,
      summary: summary("clone"),
    });
    const bad = store.append("clone", sequence([ev(2)], 1, 2), {
      expectedHead: 1,
      snapshot: { runId: "clone", atSeq: 2, state: { f: () => 1 }, stateVersion: 1 },
      summary: summary("clone", { head: 2, status: "completed" }),
    });
    await expect(bad).rejects.toThrow(
      /run clone: IndexedDB could not commit seq 2..2 \(DataCloneError: .*\); nothing was written/,
    );
    expect(await store.head("clone")).toBe(1);
    expect(await store.getRun("clone")).toMatchObject({ status: "running" });
  });

  it("commits relaxed unless the kernel asks for strict, and honours the durability it was opened with", async () => {
    const spy = vi.spyOn(IDBDatabase.prototype, "transaction");
    const durabilities = () =>
      spy.mock.calls
        .filter((call) => call[1] === "readwrite")
        .map((call) => (call[2] as IDBTransactionOptions).durability);
    try {
      const auto = await freshStore();
      await auto.append("d", sequence([ev(1)], 0, 1), { expectedHead: 0 });
      await auto.append("d", sequence([ev(2)], 1, 2), { expectedHead: 1, durability: "strict" });
      await auto.append("d", sequence([ev(3)], 2, 3), { expectedHead: 2, durability: "relaxed" });
      expect(durabilities()).toEqual(["relaxed", "strict", "relaxed"]);
      spy.mockClear();
      const strict = await IdbStore.open({
        name: `runlog-strict-${Date.now().toString(36)}`,
        durability: "strict",
      });
      opened.push(strict);
      await strict.append("d", sequence([ev(1)], 0, 1), { expectedHead: 0, durability: "relaxed" });
      expect(durabilities()).toEqual(["strict"]);
    } finally {
      spy.mockRestore();
    }
  });

  it("deletes a run's events, snapshot and summary, after which its id starts again at head 0", async () => {
    const store = await freshStore();
    for (const runId of ["gone", "stays"]) {
      await store.append(runId, sequence([ev(1), ev(2)], 0, 1), {
        expectedHead: 0,
        snapshot: { runId, atSeq: 2, state: 2, stateVersion: 1 },
        summary: summary(runId, { head: 2, wakeAt: 10 }),
      });
    }
    await store.deleteRun("gone");
    expect(await store.head("gone")).toBe(0);
    expect(await store.read("gone")).toEqual([]);
    expect(await store.loadLatest("gone")).toBeUndefined();
    expect(await store.getRun("gone")).toBeUndefined();
    expect((await store.listRuns()).runs.map((r) => r.runId)).toEqual(["stays"]);
    expect((await store.wakingRuns()).map((r) => r.runId)).toEqual(["stays"]);
    expect(await store.head("stays")).toBe(2);
    await store.append("gone", sequence([ev(9)], 0, 5), { expectedHead: 0 });
    expect(payloads(await store.read("gone"))).toEqual([9]);
  });
});

// demo.approval's shape: echo the text with a tool, ask a human, complete with the answer.
type Approval = { text: string; echoed?: string; approved?: boolean };

const approvalReducer = reducer<Approval>((state, se) => {
  if (se.event.type === "ActionSucceeded") return { ...state, echoed: se.event.output as string };
  if (se.event.type === "Resumed")
    return { ...state, approved: (se.event.value as { approved: boolean }).approved };
  return state;
});

const approvalStep: StepFn<Approval> = {
  next(state) {
    if (state.echoed === undefined)
      return { type: "do", action: { type: "callTool", tool: "echo", input: state.text } };
    if (state.approved === undefined)
      return { type: "interrupt", value: { question: "send it?", draft: state.echoed } };
    return { type: "complete", output: { approved: state.approved, text: state.echoed } };
  },
};

class EchoExecutor implements ActionExecutor {
  readonly calls: Action[] = [];
  execute(_runId: string, action: Action) {
    this.calls.push(action);
    if (action.type !== "callTool" || action.tool !== "echo")
      throw new Error(`unexpected ${action.type}`);
    return { type: "success" as const, output: action.input };
  }
}

describe("a Kernel on IdbStore in Chromium", () => {
  it("runs a tool and an interrupt, and a fresh kernel on the reopened store restores from the snapshot and completes", async () => {
    const name = `runlog-kernel-${Date.now().toString(36)}`;
    const runId = "approval-1";
    const initial: Approval = { text: "hello ✓" };
    const executor = new EchoExecutor();

    const store = await freshStore(name);
    const kernel = new Kernel<Approval>({
      events: store,
      snapshots: store,
      reducer: approvalReducer,
      executor,
      step: approvalStep,
    });
    const blocked = await kernel.runUntilBlocked(runId, initial);
    expect(blocked).toEqual({
      type: "blocked",
      blocked: {
        interrupt: { id: `${runId}:3`, value: { question: "send it?", draft: "hello ✓" } },
      },
    });
    expect(executor.calls).toHaveLength(1);
    expect(await store.loadLatest(runId)).toMatchObject({
      atSeq: 3,
      state: { text: "hello ✓", echoed: "hello ✓" },
    });
    expect(await store.getRun(runId)).toMatchObject({
      status: "blocked",
      waitingOn: "interrupt",
      head: 3,
    });
    store.close();

    // The tab reloads: a new connection, a new kernel, nothing in memory.
    const reopened = await freshStore(name);
    const applied: number[] = [];
    const countingReducer = reducer<Approval>((state, se) => {
      applied.push(se.seq);
      return approvalReducer.apply(state, se);
    });
    const fresh = new Kernel<Approval>({
      events: reopened,
      snapshots: reopened,
      reducer: countingReducer,
      executor,
      step: approvalStep,
    });
    const done = await fresh.resume(runId, initial, { approved: true });
    expect(done).toEqual({ type: "completed", output: { approved: true, text: "hello ✓" } });
    // Restored from the snapshot at seq 3: only the resume and the completion were reduced.
    expect(applied).toEqual([4, 5]);
    expect(executor.calls).toHaveLength(1);
    const events = await reopened.read(runId);
    expect(events.map((se) => se.event.type)).toEqual([
      "ActionRequested",
      "ActionSucceeded",
      "Interrupted",
      "Resumed",
      "Completed",
    ]);
    expect(await reopened.getRun(runId)).toMatchObject({ status: "completed", head: 5 });
    expect(await reopened.loadLatest(runId)).toMatchObject({ atSeq: 5, state: { approved: true } });
  });
});
