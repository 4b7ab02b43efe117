// The contract of a store a host runs on: events, snapshots and the run index committed together.

import { describe, expect, it } from "vitest";
import { ConcurrencyError, type Event, type RunSummary, ValidationError } from "../../src/index.ts";
import { type HostStore, sequence } from "../../src/store-kit/index.ts";
import { describeEventStore } from "./event-store-suite.ts";
import { describeSnapshotStore } from "./snapshot-store-suite.ts";

let counter = 0;
const freshId = (label: string) =>
  `host-${label}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
const ev = (n: number): Event => ({ type: "StateUpdated", payload: n });
const summary = (runId: string, over: Partial<RunSummary> = {}): RunSummary => ({
  runId,
  status: "running",
  head: 1,
  createdAt: 1000,
  updatedAt: 1000,
  ...over,
});

/** Runs the EventStore, SnapshotStore and RunIndex contracts, and their joint commit, against a host store. */
export function describeHostStore(
  name: string,
  makeStore: () => HostStore | Promise<HostStore>,
): void {
  describeEventStore(name, makeStore);
  describeSnapshotStore(name, makeStore);

  describe(`HostStore contract: ${name}`, () => {
    it("commits a snapshot and a summary with the events, and a stale append writes none of them", async () => {
      const store = await makeStore();
      const runId = freshId("joint");
      await store.append(runId, sequence([ev(1)], 0, 1000), {
        expectedHead: 0,
        snapshot: { runId, atSeq: 1, state: { n: 1 }, stateVersion: 1 },
        summary: summary(runId, { workflow: "w", version: 1 }),
      });
      expect(await store.loadLatest(runId)).toMatchObject({ atSeq: 1, state: { n: 1 } });
      expect(await store.getRun(runId)).toMatchObject({
        runId,
        workflow: "w",
        head: 1,
        status: "running",
      });
      const stale = store.append(runId, sequence([ev(2)], 0, 2000), {
        expectedHead: 0,
        snapshot: { runId, atSeq: 1, state: { n: 666 }, stateVersion: 1 },
        summary: summary(runId, { status: "completed", head: 1 }),
      });
      await expect(stale).rejects.toSatisfy((e: unknown) => ConcurrencyError.is(e));
      expect(await store.loadLatest(runId)).toMatchObject({ state: { n: 1 } });
      expect(await store.getRun(runId)).toMatchObject({ status: "running" });
      expect(await store.head(runId)).toBe(1);
    });

    it("lets exactly one of two concurrent writers win when both carry a snapshot and a summary", async () => {
      const store = await makeStore();
      const runId = freshId("race-snap");
      await store.save({ runId, atSeq: 0, state: "start", stateVersion: 1 });
      const write = (n: number) =>
        store.append(runId, sequence([ev(n)], 0, 1000 + n), {
          expectedHead: 0,
          snapshot: { runId, atSeq: 1, state: `writer ${n}`, stateVersion: 1 },
          summary: summary(runId, { updatedAt: 1000 + n }),
        });
      const results = await Promise.allSettled([write(1), write(2)]);
      const won = results.findIndex((r) => r.status === "fulfilled");
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await store.head(runId)).toBe(1);
      const [only] = await store.read(runId, 1);
      expect((only?.event as { payload: unknown }).payload).toBe(won + 1);
      expect((await store.loadLatest(runId))?.state).toBe(`writer ${won + 1}`);
      expect((await store.getRun(runId))?.updatedAt).toBe(1000 + won + 1);
    });

    it("keeps the newer snapshot when an append carries an older one", async () => {
      const store = await makeStore();
      const runId = freshId("older");
      await store.save({ runId, atSeq: 5, state: "five", stateVersion: 1 });
      await store.append(runId, sequence([ev(1)], 0, 1000), {
        expectedHead: 0,
        snapshot: { runId, atSeq: 1, state: "one", stateVersion: 1 },
      });
      expect(await store.loadLatest(runId)).toMatchObject({ atSeq: 5, state: "five" });
      expect(await store.head(runId)).toBe(1);
    });

    it("refuses a snapshot or a summary of another run in an append, writing nothing", async () => {
      const store = await makeStore();
      const runId = freshId("mine");
      const other = freshId("other");
      const withSnapshot = store.append(runId, sequence([ev(1)], 0, 1000), {
        expectedHead: 0,
        snapshot: { runId: other, atSeq: 1, state: 1, stateVersion: 1 },
      });
      await expect(withSnapshot).rejects.toSatisfy((e: unknown) => ValidationError.is(e));
      const withSummary = store.append(runId, sequence([ev(1)], 0, 1000), {
        expectedHead: 0,
        summary: summary(other),
      });
      await expect(withSummary).rejects.toSatisfy((e: unknown) => ValidationError.is(e));
      expect(await store.head(runId)).toBe(0);
      expect(await store.getRun(other)).toBeUndefined();
    });

    it("refuses a cursor it did not give out", async () => {
      const store = await makeStore();
      await expect(store.listRuns({ cursor: "not-a-cursor" })).rejects.toSatisfy((e: unknown) =>
        ValidationError.is(e),
      );
    });

    it("keeps the summary of the last commit", async () => {
      const store = await makeStore();
      const runId = freshId("last");
      await store.append(runId, sequence([ev(1)], 0, 1000), {
        expectedHead: 0,
        summary: summary(runId),
      });
      await store.append(runId, sequence([ev(2)], 1, 1500), {
        expectedHead: 1,
        summary: summary(runId, {
          status: "blocked",
          waitingOn: "timer",
          wakeAt: 9000,
          head: 2,
          updatedAt: 1500,
        }),
      });
      expect(await store.getRun(runId)).toEqual(
        summary(runId, {
          status: "blocked",
          waitingOn: "timer",
          wakeAt: 9000,
          head: 2,
          updatedAt: 1500,
        }),
      );
      expect(await store.getRun(freshId("none"))).toBeUndefined();
    });

    it("lists runs newest first, filters by status, and pages through each run exactly once", async () => {
      const store = await makeStore();
      const base = 5_000_000 + counter * 100;
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const runId = freshId(`list${i}`);
        ids.push(runId);
        const status = i % 2 === 0 ? "completed" : "blocked";
        await store.append(runId, sequence([ev(i)], 0, base + i), {
          expectedHead: 0,
          summary: summary(runId, { status, createdAt: base + i, updatedAt: base + i }),
        });
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const result = await store.listRuns({ limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...result.runs.map((r) => r.runId).filter((id) => ids.includes(id)));
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
      }
      expect(seen).toEqual([...ids].reverse());
      const blocked = await store.listRuns({ status: "blocked", limit: 1000 });
      const mine = blocked.runs.filter((r) => ids.includes(r.runId));
      expect(mine.map((r) => r.runId)).toEqual([ids[5], ids[3], ids[1]]);
      expect(blocked.runs.every((r) => r.status === "blocked")).toBe(true);
    });

    it("returns runs with a wake time, soonest first", async () => {
      const store = await makeStore();
      const later = freshId("later");
      const sooner = freshId("sooner");
      const none = freshId("none");
      await store.append(later, sequence([ev(1)], 0, 1), {
        expectedHead: 0,
        summary: summary(later, { wakeAt: 50_000 }),
      });
      await store.append(sooner, sequence([ev(1)], 0, 1), {
        expectedHead: 0,
        summary: summary(sooner, { wakeAt: 40_000 }),
      });
      await store.append(none, sequence([ev(1)], 0, 1), {
        expectedHead: 0,
        summary: summary(none),
      });
      const waking = (await store.wakingRuns())
        .map((r) => r.runId)
        .filter((id) => [later, sooner, none].includes(id));
      expect(waking).toEqual([sooner, later]);
    });
  });
}
