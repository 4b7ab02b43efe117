// The contract every SnapshotStore must meet.

import { describe, expect, it } from "vitest";
import type { SnapshotStore } from "../../src/store-kit/index.ts";

let counter = 0;
const freshId = () => `snap-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** Runs the SnapshotStore contract against a store made by `makeStore` (called once per test). */
export function describeSnapshotStore(
  name: string,
  makeStore: () => SnapshotStore | Promise<SnapshotStore>,
): void {
  describe(`SnapshotStore contract: ${name}`, () => {
    it("has no snapshot for an unknown run", async () => {
      const store = await makeStore();
      expect(await store.loadLatest(freshId())).toBeUndefined();
    });

    it("returns the snapshot with the highest atSeq, whatever the order of saves", async () => {
      const store = await makeStore();
      const runId = freshId();
      await store.save({ runId, atSeq: 5, state: { n: 5 }, stateVersion: 1 });
      await store.save({ runId, atSeq: 9, state: { n: 9 }, stateVersion: 1 });
      await store.save({ runId, atSeq: 7, state: { n: 7 }, stateVersion: 1 });
      const latest = await store.loadLatest(runId);
      expect(latest?.atSeq).toBe(9);
      expect(latest?.state).toEqual({ n: 9 });
    });

    it("lets the later save win at the same atSeq and keeps stateVersion and meta", async () => {
      const store = await makeStore();
      const runId = freshId();
      await store.save({ runId, atSeq: 3, state: "old", stateVersion: 1 });
      const meta = {
        head: 3,
        firstTs: 1,
        lastTs: 2,
        signals: [{ signalId: "s", name: "go", seq: 2, bytes: 3 }],
        actions: 1,
        toolCalls: 1,
        llmTokens: 0,
      };
      await store.save({ runId, atSeq: 3, state: "new ✓", stateVersion: 2, meta });
      const latest = await store.loadLatest(runId);
      expect(latest).toMatchObject({ runId, atSeq: 3, state: "new ✓", stateVersion: 2, meta });
    });

    it("keeps runs apart and returns a copy the caller cannot corrupt", async () => {
      const store = await makeStore();
      const a = freshId();
      const b = freshId();
      await store.save({ runId: a, atSeq: 1, state: { list: [1] }, stateVersion: 1 });
      await store.save({ runId: b, atSeq: 2, state: { list: [2] }, stateVersion: 1 });
      const loaded = await store.loadLatest(a);
      (loaded?.state as { list: number[] }).list.push(99);
      expect((await store.loadLatest(a))?.state).toEqual({ list: [1] });
      expect((await store.loadLatest(b))?.state).toEqual({ list: [2] });
    });
  });
}
