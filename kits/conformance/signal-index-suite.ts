// The signal index of an EventStore (`signalSeq`): which event recorded a signal id. A store without
// the method is held to the same sentences through `findSignalSeq`, which scans its log instead.

import { describe, expect, it } from "vitest";
import {
  ConcurrencyError,
  type Event,
  exportRun,
  forkRun,
  importRun,
  type SequencedEvent,
  ValidationError,
} from "../../src/index.ts";
import { type EventStore, findSignalSeq, sequence } from "../../src/store-kit/index.ts";

const T0 = 1_700_000_000_000;
const state = (payload: number): Event => ({ type: "StateUpdated", payload });
const signal = (signalId: string, value: unknown = null): Event => ({
  type: "SignalReceived",
  name: "go",
  value: value as never,
  signalId,
});

let counter = 0;
const freshId = (label: string) =>
  `sig-${label}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** Runs the signal index contract against a store made by `makeStore` (called once per test). */
export function describeSignalIndex(
  name: string,
  makeStore: () => EventStore | Promise<EventStore>,
): void {
  const how = (store: EventStore) => (store.signalSeq ? "signalSeq" : "the scan fallback");
  const seqOf = (store: EventStore, runId: string, signalId: string) =>
    findSignalSeq(store, runId, signalId);

  describe(`EventStore signal index: ${name}`, () => {
    it("answers the seq of the event that recorded a signal id, and nothing for an unknown id", async () => {
      const store = await makeStore();
      const runId = freshId("find");
      await store.append(runId, sequence([state(1), signal("a"), state(2), signal("b")], 0, T0), {
        expectedHead: 0,
      });
      await store.append(runId, sequence([signal("c", { big: "x".repeat(4096) })], 4, T0 + 1), {
        expectedHead: 4,
      });
      expect(await seqOf(store, runId, "a"), how(store)).toBe(2);
      expect(await seqOf(store, runId, "b")).toBe(4);
      expect(await seqOf(store, runId, "c")).toBe(5);
      expect(await seqOf(store, runId, "nope")).toBeUndefined();
      expect(await seqOf(store, freshId("unknown-run"), "a")).toBeUndefined();
    });

    it("keeps each run's ids apart", async () => {
      const store = await makeStore();
      const a = freshId("apart-a");
      const b = freshId("apart-b");
      await store.append(a, sequence([signal("shared"), signal("only-a")], 0, T0), {
        expectedHead: 0,
      });
      await store.append(b, sequence([state(0), state(1), signal("shared")], 0, T0), {
        expectedHead: 0,
      });
      expect(await seqOf(store, a, "shared")).toBe(1);
      expect(await seqOf(store, b, "shared")).toBe(3);
      expect(await seqOf(store, b, "only-a")).toBeUndefined();
    });

    it("keeps the first seq of an id recorded again, in a later batch or the same one", async () => {
      const store = await makeStore();
      const runId = freshId("dup");
      await store.append(runId, sequence([state(0), signal("twice", 1)], 0, T0), {
        expectedHead: 0,
      });
      await store.append(runId, sequence([state(1), signal("twice", 2)], 2, T0 + 1), {
        expectedHead: 2,
      });
      await store.append(runId, sequence([signal("inner"), signal("inner")], 4, T0 + 2), {
        expectedHead: 4,
      });
      expect(await seqOf(store, runId, "twice")).toBe(2);
      expect(await seqOf(store, runId, "inner")).toBe(5);
      expect(await store.head(runId)).toBe(6);
    });

    it("does not index the ids of a batch it refused (stale head, bad seqs)", async () => {
      const store = await makeStore();
      const runId = freshId("refused");
      await store.append(runId, sequence([state(0)], 0, T0), { expectedHead: 0 });
      const stale = store.append(runId, sequence([signal("stale")], 0, T0), { expectedHead: 0 });
      await expect(stale).rejects.toSatisfy((e: unknown) => ConcurrencyError.is(e));
      const gap: SequencedEvent[] = [
        { seq: 2, ts: T0, event: signal("gap") },
        { seq: 4, ts: T0, event: state(1) },
      ];
      await expect(store.append(runId, gap, { expectedHead: 1 })).rejects.toSatisfy((e: unknown) =>
        ValidationError.is(e),
      );
      expect(await seqOf(store, runId, "stale")).toBeUndefined();
      expect(await seqOf(store, runId, "gap")).toBeUndefined();
      // The same ids in a batch that is taken are indexed at their own seqs.
      await store.append(runId, sequence([signal("gap"), signal("stale")], 1, T0 + 1), {
        expectedHead: 1,
      });
      expect(await seqOf(store, runId, "gap")).toBe(2);
      expect(await seqOf(store, runId, "stale")).toBe(3);
    });

    it("indexes a fork's and an import's copy under the new run id", async () => {
      const store = await makeStore();
      const from = freshId("origin");
      await store.append(from, sequence([state(0), signal("s1"), signal("s2"), state(1)], 0, T0), {
        expectedHead: 0,
      });
      const forked = freshId("fork");
      await forkRun(store, from, 2, forked, {
        clock: { now: () => T0 + 10 },
        alternate: [signal("alt")],
      });
      expect(await seqOf(store, forked, "s1")).toBe(2);
      expect(await seqOf(store, forked, "s2")).toBeUndefined();
      expect(await seqOf(store, forked, "alt")).toBe(4);
      expect(await seqOf(store, from, "alt")).toBeUndefined();

      const imported = freshId("import");
      await importRun(store, await exportRun(store, from), { runId: imported, now: T0 + 20 });
      expect(await seqOf(store, imported, "s1")).toBe(2);
      expect(await seqOf(store, imported, "s2")).toBe(3);
      expect(await seqOf(store, from, "s2")).toBe(3);
    });

    it("finds any of 1,200 ids recorded in one batch (past the scan's pages of 500)", async () => {
      const store = await makeStore();
      const runId = freshId("many");
      const ids = Array.from({ length: 1_200 }, (_, i) => `id-${i}`);
      await store.append(
        runId,
        sequence(
          ids.map((id) => signal(id, id)),
          0,
          T0,
        ),
        {
          expectedHead: 0,
        },
      );
      for (const i of [0, 1, 499, 500, 999, 1_000, 1_199])
        expect(await seqOf(store, runId, `id-${i}`)).toBe(i + 1);
      expect(await seqOf(store, runId, "id-1200")).toBeUndefined();
    });
  });
}
