// A run of 10^5 events: restore takes the latest snapshot and reads only the tail after it, a full
// replay folds every event to the same state, verify re-drives it, and the run continues.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kernel, MemoryRunStore, type Reducer, type SequencedEvent, type StepFn } from "runlog";
import { SqliteStore } from "runlog/node";
import type { EventStore, HostStore, Snapshot, SnapshotStore } from "runlog/store-kit";
import { afterAll, describe, expect, it } from "vitest";
import { instantScheduler, noopExecutor } from "../../support/kernel-fixtures.ts";

const EVENTS = 100_000;
const PER_DECISION = 100;
/** Snapshots above this seq are "lost", so restore has a tail of at least 10^4 events to replay. */
const SNAPSHOTS_UP_TO = 90_000;

type S = { n: number; sum: number; answered: boolean };
const init: S = { n: 0, sum: 0, answered: false };
const countReducer: Reducer<S> = {
  apply: (s, se) => {
    if (se.event.type === "Resumed") return { ...s, answered: true };
    if (se.event.type !== "StateUpdated") return s;
    return { ...s, n: s.n + 1, sum: s.sum + (se.event.payload as number) };
  },
};
/** Emits 100 events per decision up to 10^5, asks a human, then completes. */
const step: StepFn<S> = {
  next: (s) => {
    if (s.n < EVENTS) {
      const events = Array.from({ length: Math.min(PER_DECISION, EVENTS - s.n) }, (_, i) => ({
        type: "StateUpdated" as const,
        payload: (s.n + i) % 7,
      }));
      return { type: "emit", events };
    }
    return s.answered ? { type: "complete", output: s.sum } : { type: "interrupt", value: "done?" };
  },
};

/** Counts the events a store hands out. */
class CountingReads implements EventStore {
  read = async (runId: string, fromSeq?: number, limit?: number): Promise<SequencedEvent[]> => {
    const events = await this.inner.read(runId, fromSeq, limit);
    this.events += events.length;
    return events;
  };
  events = 0;
  constructor(readonly inner: HostStore) {}
  append: EventStore["append"] = (...a) => this.inner.append(...a);
  head = (runId: string) => this.inner.head(runId);
}

const dir = mkdtempSync(join(tmpdir(), "runlog-large-"));
const sqlite: SqliteStore[] = [];
afterAll(() => {
  for (const s of sqlite) s.close();
  rmSync(dir, { recursive: true, force: true });
});

const stores: [string, () => HostStore][] = [
  ["MemoryRunStore", () => new MemoryRunStore()],
  [
    "SqliteStore",
    () => {
      const s = SqliteStore.open(join(dir, "large.db"));
      sqlite.push(s);
      return s;
    },
  ],
];

describe.each(stores)("a run of 10^5 events on %s", (name, open) => {
  it("restores from its snapshot plus the tail, replays whole to the same state, verifies, and continues", async () => {
    const store = open();
    const runId = `large-${name}`;
    const t0 = performance.now();
    // The writer's snapshots stop at 90 000, as if later saves had failed (a snapshot is a cache).
    const lagging: SnapshotStore<S> = {
      loadLatest: (id) => store.loadLatest(id) as Promise<Snapshot<S> | undefined>,
      save: async (s) => (s.atSeq <= SNAPSHOTS_UP_TO ? store.save(s) : undefined),
    };
    const writer = new Kernel<S>({
      events: store,
      snapshots: lagging,
      reducer: countReducer,
      step,
      executor: noopExecutor,
      scheduler: instantScheduler,
      snapshotEvery: 10_000,
    });
    const blocked = await writer.runUntilBlocked(runId, init);
    const tWrite = performance.now() - t0;
    expect(blocked.type).toBe("blocked");
    expect(await store.head(runId)).toBe(EVENTS + 1);
    const snapshot = (await store.loadLatest(runId)) as Snapshot<S>;
    expect(snapshot.atSeq).toBeLessThanOrEqual(SNAPSHOTS_UP_TO);
    expect(snapshot.atSeq).toBeGreaterThan(SNAPSHOTS_UP_TO - 10_000);

    const reads = new CountingReads(store);
    const reader = new Kernel<S>({
      events: reads,
      snapshots: store,
      reducer: countReducer,
      step,
      executor: noopExecutor,
      scheduler: instantScheduler,
    });
    const t1 = performance.now();
    const restored = await reader.replayFromSnapshot(runId, init);
    const tRestore = performance.now() - t1;
    const tail = reads.events;
    expect(tail).toBe(EVENTS + 1 - snapshot.atSeq);

    const t2 = performance.now();
    const replayed = await reader.replay(runId, init);
    const tReplay = performance.now() - t2;
    const expectedSum = Array.from({ length: EVENTS }, (_, i) => i % 7).reduce((a, b) => a + b, 0);
    expect(replayed).toEqual({ n: EVENTS, sum: expectedSum, answered: false });
    expect(restored).toEqual(replayed);

    const t3 = performance.now();
    const report = await reader.verify(runId, init);
    const tVerify = performance.now() - t3;
    expect(report.ok).toBe(true);

    // The restored kernel carries on: the answer and the completion land after 10^5 + 1 events.
    const done = await reader.resume(runId, init, "yes");
    expect(done).toEqual({ type: "completed", output: expectedSum });
    expect(await store.head(runId)).toBe(EVENTS + 3);
    console.log(
      `[large-run] ${name}: ${EVENTS + 3} events; write ${tWrite.toFixed(0)} ms, restore from snapshot at ${snapshot.atSeq} (+${tail} events) ${tRestore.toFixed(0)} ms, full replay ${tReplay.toFixed(0)} ms, verify ${tVerify.toFixed(0)} ms`,
    );
  }, 60_000);
});
