// Bounded signal bookkeeping: the run's meta keeps no history of signal ids and no values of
// unconsumed signals (the store's index and the log hold them), so snapshots stay the same size
// however many signals a run ever received; old snapshots that carried both still restore.
import {
  createHost,
  defineWorkflow,
  type Json,
  Kernel,
  MemoryRunStore,
  type SequencedEvent,
} from "runlog";
import { metaOf, type RunMeta, sequence, signalBytes, upgradeMeta } from "runlog/store-kit";
import { describe, expect, it } from "vitest";

const T0 = 1_700_000_000_000;
const sig = (signalId: string, name: string, value: Json) =>
  ({ type: "SignalReceived", name, value, signalId }) as const;

describe("the run's meta of signals", () => {
  it("keeps an unconsumed signal's id, name, seq and size, never its value or a list of ids", () => {
    const value = { text: "héllo ✓", n: [1, 2, 3] };
    const events: SequencedEvent[] = sequence(
      [sig("s1", "go", value), sig("s2", "stop", null)],
      0,
      T0,
    );
    const meta = metaOf(events);
    expect(meta.signals).toEqual([
      { signalId: "s1", name: "go", seq: 1, bytes: signalBytes("go", value) },
      { signalId: "s2", name: "stop", seq: 2, bytes: signalBytes("stop", null) },
    ]);
    expect(signalBytes("go", value)).toBe(
      2 + new TextEncoder().encode(JSON.stringify(value)).length,
    );
    expect(JSON.stringify(meta)).not.toContain("héllo");
    expect("signalIds" in meta).toBe(false);
  });

  it("upgrades a meta an older runlog stored: the id list goes, values become sizes", () => {
    const old = {
      head: 3,
      firstTs: T0,
      lastTs: T0,
      signals: [{ signalId: "b", name: "go", value: { big: "x".repeat(100) }, seq: 3 }],
      signalIds: ["a", "b"],
      actions: 0,
      toolCalls: 0,
      llmTokens: 0,
    } as unknown as RunMeta;
    const meta = upgradeMeta(old);
    expect(meta.signals).toEqual([
      { signalId: "b", name: "go", seq: 3, bytes: signalBytes("go", { big: "x".repeat(100) }) },
    ]);
    expect("signalIds" in meta).toBe(false);
    // Today's shape passes through unchanged.
    expect(upgradeMeta(structuredClone(meta))).toEqual(meta);
  });
});

/** Waits for `count` signals named `tick`, counting them; the state stays one number. */
const ticks = defineWorkflow<{ count: number }, { n: number; of: number; last?: Json }>({
  name: "ticks",
  init: (input) => ({ n: 0, of: input.count }),
  step: (s) =>
    s.n < s.of
      ? { type: "do", action: { type: "waitSignal", name: "tick" } }
      : { type: "complete", output: { n: s.n, last: s.last ?? null } },
  reduce: (s, se) =>
    se.event.type === "ActionSucceeded"
      ? { ...s, n: s.n + 1, last: (se.event.output as { value: Json }).value }
      : s,
});

describe("a run with many signals", () => {
  it("keeps a snapshot whose size does not depend on how many signals it received (5,000)", async () => {
    const store = new MemoryRunStore();
    const host = createHost({ store, workflows: [ticks] });
    await host.start("ticks", { count: 6_000 }, { runId: "r", wait: true });
    const sizes = new Map<number, number>();
    for (let i = 1; i <= 5_000; i++) {
      await host.signal("r", "tick", { i }, { signalId: `tick-${i}`, wait: true });
      if (i === 10 || i === 5_000) {
        const snapshot = await store.loadLatest("r");
        expect(snapshot?.atSeq).toBe((await host.events("r")).head);
        sizes.set(i, JSON.stringify(snapshot).length);
      }
    }
    const small = sizes.get(10) ?? 0;
    const large = sizes.get(5_000) ?? 0;
    // Only the digits of head, seq, times and counters differ; a list of ids would add ~60 KB.
    expect(Math.abs(large - small)).toBeLessThan(40);
    const snapshot = await store.loadLatest("r");
    expect(snapshot?.meta?.signals).toEqual([]);
    expect(JSON.stringify(snapshot)).not.toContain("tick-");
    // Dedupe still knows every id: a repeat of the first appends nothing.
    const head = (await host.events("r")).head;
    await host.signal("r", "tick", { i: 1 }, { signalId: "tick-1", wait: true });
    expect((await host.events("r")).head).toBe(head);
    await expect(host.signal("r", "tick", { i: 2 }, { signalId: "tick-1" })).rejects.toThrow(
      /signal id tick-1 was already used for signal tick with another value/,
    );
    await host.close();
  }, 60_000);

  it("keeps unconsumed signals' values out of snapshots and hands them over when consumed", async () => {
    const store = new MemoryRunStore();
    const host = createHost({ store, workflows: [ticks] });
    await host.start("ticks", { count: 1 }, { runId: "r", wait: true });
    const big = "v".repeat(50_000);
    for (let i = 0; i < 5; i++)
      await host.signal("r", "later", `${i}${big}`, { signalId: `l${i}` });
    await host.signal("r", "other", "x", { signalId: "o", wait: true });
    const snapshot = await store.loadLatest("r");
    expect(snapshot?.meta?.signals).toHaveLength(6);
    expect(JSON.stringify(snapshot).length).toBeLessThan(2_000);
    const done = await host.signal("r", "tick", { payload: big }, { signalId: "t", wait: true });
    expect(done).toMatchObject({ status: "completed", output: { n: 1, last: { payload: big } } });
    await host.close();
  });
});

describe("a snapshot stored by an older runlog", () => {
  type S = { got?: Json };
  const step = {
    next: (s: S) =>
      s.got === undefined
        ? ({ type: "do", action: { type: "waitSignal", name: "go" } } as const)
        : ({ type: "complete", output: s.got } as const),
  };
  const reducer = {
    apply: (s: S, se: SequencedEvent): S =>
      se.event.type === "ActionSucceeded" ? { got: (se.event.output as { value: Json }).value } : s,
  };

  it("restores, deduplicates by the log and consumes a buffered signal's value from the log", async () => {
    const store = new MemoryRunStore();
    const kernel = () =>
      new Kernel<S>({
        events: store,
        snapshots: store,
        reducer,
        step,
        executor: { execute: () => ({ type: "success", output: null }) },
      });
    const first = kernel();
    await first.signal("r", {}, "other", 1, "seen", { drive: false });
    await first.signal("r", {}, "go", { answer: 42 }, "wanted", { drive: false });
    // A snapshot as an older runlog wrote it: every id, and the values in the meta.
    const meta = metaOf(await store.read("r"));
    const oldMeta = {
      ...meta,
      signalIds: ["seen", "wanted"],
      signals: meta.signals.map((s) => ({
        signalId: s.signalId,
        name: s.name,
        seq: s.seq,
        value: s.name === "go" ? { answer: 42 } : 1,
      })),
    };
    await store.save({
      runId: "r",
      atSeq: meta.head,
      state: {},
      stateVersion: 1,
      meta: oldMeta as unknown as RunMeta,
    });

    const second = kernel();
    const head = await store.head("r");
    await second.signal("r", {}, "other", 1, "seen", { drive: false });
    expect(await store.head("r")).toBe(head);
    const status = await second.runUntilBlocked("r", {});
    expect(status).toMatchObject({ type: "completed", output: { answer: 42 } });
    const upgraded = await store.loadLatest("r");
    expect(upgraded?.meta && "signalIds" in upgraded.meta).toBe(false);
    expect(upgraded?.meta?.signals).toEqual([
      { signalId: "seen", name: "other", seq: 1, bytes: signalBytes("other", 1) },
    ]);
  });
});
