// The contract every EventStore must meet: each test asserts one sentence of the port's doc.

import { describe, expect, it } from "vitest";
import {
  ConcurrencyError,
  type Event,
  type SequencedEvent,
  ValidationError,
} from "../../src/index.ts";
import { type EventStore, sequence } from "../../src/store-kit/index.ts";
import { describeSignalIndex } from "./signal-index-suite.ts";

const T0 = 1_700_000_000_000;
const state = (payload: unknown): Event => ({ type: "StateUpdated", payload: payload as never });

let counter = 0;
const freshId = (label: string) =>
  `conf-${label}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** Runs the EventStore contract against a store made by `makeStore` (called once per test). */
export function describeEventStore(
  name: string,
  makeStore: () => EventStore | Promise<EventStore>,
): void {
  describe(`EventStore contract: ${name}`, () => {
    it("reports head 0 and no events for an unknown run", async () => {
      const store = await makeStore();
      const runId = freshId("unknown");
      expect(await store.head(runId)).toBe(0);
      expect(await store.read(runId, 1)).toEqual([]);
    });

    it("appends a batch atomically and reads it back in ascending seq with ts", async () => {
      const store = await makeStore();
      const runId = freshId("batch");
      await store.append(runId, sequence([state(1), state(2), state(3)], 0, T0), {
        expectedHead: 0,
      });
      await store.append(runId, sequence([state(4)], 3, T0 + 5), { expectedHead: 3 });
      const events = await store.read(runId, 1);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(events.map((e) => e.ts)).toEqual([T0, T0, T0, T0 + 5]);
      expect(events.map((e) => (e.event as { payload: unknown }).payload)).toEqual([1, 2, 3, 4]);
      expect(await store.head(runId)).toBe(4);
    });

    it("appends a large batch (hundreds of events) in order and reads any range of it", async () => {
      const store = await makeStore();
      const runId = freshId("large");
      const payloads = Array.from({ length: 250 }, (_, i) => i);
      await store.append(runId, sequence(payloads.map(state), 0, T0), { expectedHead: 0 });
      await store.append(runId, sequence([state(250)], 250, T0 + 1), { expectedHead: 250 });
      const all = await store.read(runId, 1);
      expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 251 }, (_, i) => i + 1));
      expect(all.map((e) => (e.event as { payload: unknown }).payload)).toEqual([...payloads, 250]);
      expect((await store.read(runId, 31, 4)).map((e) => e.seq)).toEqual([31, 32, 33, 34]);
      expect(await store.head(runId)).toBe(251);
    });

    it("reads from a seq with a limit", async () => {
      const store = await makeStore();
      const runId = freshId("range");
      await store.append(runId, sequence([1, 2, 3, 4, 5].map(state), 0, T0), { expectedHead: 0 });
      expect((await store.read(runId, 3)).map((e) => e.seq)).toEqual([3, 4, 5]);
      expect((await store.read(runId, 2, 2)).map((e) => e.seq)).toEqual([2, 3]);
      expect(await store.read(runId, 6)).toEqual([]);
    });

    it("fails a stale expectedHead with ConcurrencyError and writes nothing", async () => {
      const store = await makeStore();
      const runId = freshId("stale");
      await store.append(runId, sequence([state("a")], 0, T0), { expectedHead: 0 });
      const stale = store.append(runId, sequence([state("b"), state("c")], 0, T0), {
        expectedHead: 0,
      });
      await expect(stale).rejects.toSatisfy((e: unknown) => ConcurrencyError.is(e));
      const ahead = store.append(runId, sequence([state("b")], 5, T0), { expectedHead: 5 });
      await expect(ahead).rejects.toSatisfy((e: unknown) => ConcurrencyError.is(e));
      expect(await store.head(runId)).toBe(1);
      expect(
        (await store.read(runId, 1)).map((e) => (e.event as { payload: unknown }).payload),
      ).toEqual(["a"]);
    });

    it("rejects a batch whose seqs do not follow expectedHead and writes none of it", async () => {
      const store = await makeStore();
      const runId = freshId("gap");
      const bad: SequencedEvent[] = [
        { seq: 1, ts: T0, event: state(1) },
        { seq: 3, ts: T0, event: state(2) },
      ];
      await expect(store.append(runId, bad, { expectedHead: 0 })).rejects.toSatisfy((e: unknown) =>
        ValidationError.is(e),
      );
      expect(await store.head(runId)).toBe(0);
      expect(await store.read(runId, 1)).toEqual([]);
    });

    it("lets exactly one of two concurrent writers at the same head win", async () => {
      const store = await makeStore();
      const runId = freshId("race");
      const results = await Promise.allSettled([
        store.append(runId, sequence([state("x")], 0, T0), { expectedHead: 0 }),
        store.append(runId, sequence([state("y"), state("z")], 0, T0), { expectedHead: 0 }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(ConcurrencyError.is(rejected.reason)).toBe(true);
      const head = await store.head(runId);
      expect([1, 2]).toContain(head);
      expect((await store.read(runId, 1)).map((e) => e.seq)).toEqual(head === 1 ? [1] : [1, 2]);
    });

    it("sees its own writes at once (read-your-writes)", async () => {
      const store = await makeStore();
      const runId = freshId("ryw");
      for (let i = 0; i < 5; i++) {
        await store.append(runId, sequence([state(i)], i, T0 + i), { expectedHead: i });
        expect(await store.head(runId)).toBe(i + 1);
        const last = await store.read(runId, i + 1);
        expect(last.map((e) => (e.event as { payload: unknown }).payload)).toEqual([i]);
      }
    });

    it("keeps runs apart", async () => {
      const store = await makeStore();
      const a = freshId("a");
      const b = freshId("b");
      await store.append(a, sequence([state("a1"), state("a2")], 0, T0), { expectedHead: 0 });
      await store.append(b, sequence([state("b1")], 0, T0), { expectedHead: 0 });
      expect(await store.head(a)).toBe(2);
      expect(await store.head(b)).toBe(1);
    });

    it("round-trips unicode and a 1 MiB payload exactly", async () => {
      const store = await makeStore();
      const runId = freshId("payload");
      const unicode = {
        text: 'héllo wörld ✓ 日本語 🚀 \u0000 \u2028 "quoted" \\ back',
        emoji: ["👩‍💻", "🏳️‍🌈"],
      };
      const big = "x".repeat(1024 * 1024);
      await store.append(runId, sequence([state(unicode), state(big)], 0, T0), { expectedHead: 0 });
      const [first, second] = await store.read(runId, 1);
      expect((first?.event as { payload: unknown }).payload).toEqual(unicode);
      expect(((second?.event as { payload: unknown }).payload as string).length).toBe(1024 * 1024);
    });

    it("round-trips every event type with its fields", async () => {
      const store = await makeStore();
      const runId = freshId("types");
      const all: Event[] = [
        { type: "RunStarted", workflow: "w", input: { a: 1 }, version: 2 },
        { type: "StateUpdated", stepId: "s", payload: [1, "two", null, true] },
        {
          type: "ActionRequested",
          actionId: `${runId}:3`,
          action: { type: "callTool", tool: "echo", input: { x: 1 } },
        },
        {
          type: "ActionAttemptFailed",
          actionId: `${runId}:3`,
          attempt: 0,
          error: { kind: "rateLimited", message: "slow down", retryAfterMs: 50 },
          retryAt: T0 + 50,
        },
        { type: "ActionSucceeded", actionId: `${runId}:3`, output: { ok: true } },
        { type: "Interrupted", interruptId: "i1", value: { question: "?" } },
        { type: "Resumed", interruptId: "i1", value: { approved: false } },
        { type: "SignalReceived", name: "go", value: 1.5, signalId: "sig-1" },
        { type: "RandomDrawn", values: [0.25] },
        { type: "Forked", fromRunId: "other", atSeq: 3 },
        { type: "Completed", output: { done: true } },
      ];
      await store.append(runId, sequence(all, 0, T0), { expectedHead: 0 });
      expect((await store.read(runId, 1)).map((e) => e.event)).toEqual(all);
    });

    it("accepts an empty batch at the head and changes nothing", async () => {
      const store = await makeStore();
      const runId = freshId("empty");
      await store.append(runId, [], { expectedHead: 0 });
      expect(await store.head(runId)).toBe(0);
    });
  });

  describeSignalIndex(name, makeStore);
}
