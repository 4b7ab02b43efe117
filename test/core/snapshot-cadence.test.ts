// When a commit carries a snapshot: every N events (growing with the log when asked), and, with a
// byte budget, once the events since the last snapshot hold that many characters of JSON.

import { describe, expect, it } from "vitest";
import type { SequencedEvent } from "../../src/events.ts";
import { MemorySnapshotStore } from "../../src/memory-snapshot-store.ts";
import type { LoadedRun } from "../../src/restore.ts";
import { emptyMeta } from "../../src/run-meta.ts";
import {
  eventBytes,
  noteCommit,
  noteSnapshot,
  snapshotBytesOption,
  snapshotDue,
} from "../../src/snapshot-cadence.ts";
import { makeKernel, SequenceStep, type TestState } from "../support/kernel-fixtures.ts";

const updated = (seq: number, payload: string): SequencedEvent => ({
  seq,
  ts: seq,
  event: { type: "StateUpdated", payload },
});

/** Commits `sizes` one event each; returns the seqs whose commits carried a snapshot. */
function cadence(sizes: number[], c: Parameters<typeof noteCommit>[2]): number[] {
  const run: LoadedRun<unknown> = { state: null, meta: emptyMeta(), snapshotAt: 0 };
  const at: number[] = [];
  sizes.forEach((size, i) => {
    const se = updated(i + 1, "x".repeat(size));
    run.meta.head = se.seq;
    if (noteCommit(run, [se], c, false)) {
      noteSnapshot(run, se.seq);
      at.push(se.seq);
    }
  });
  return at;
}

describe("snapshot cadence", () => {
  it("takes one every N events without a byte budget, however large they are", () => {
    expect(cadence(Array(10).fill(100_000), { every: 4, growth: 0 })).toEqual([4, 8]);
  });

  it("with a byte budget, takes one as soon as the events since the last one hold that much", () => {
    const sizes = [10, 10, 5_000, 10, 10, 10, 10, 10, 10, 10, 6_000, 10];
    expect(cadence(sizes, { every: 8, growth: 0, bytes: 4_000 })).toEqual([3, 11]);
    // Small events: the event count decides alone.
    expect(cadence(Array(16).fill(10), { every: 8, growth: 0, bytes: 4_000 })).toEqual([8, 16]);
  });

  it("grows the event interval with the log when asked", () => {
    expect(
      snapshotDue({ head: 1_100, snapshotAt: 1_000, bytesSince: 0 }, { every: 64, growth: 0.125 }),
    ).toBe(false);
    expect(
      snapshotDue({ head: 1_125, snapshotAt: 1_000, bytesSince: 0 }, { every: 64, growth: 0.125 }),
    ).toBe(true);
  });

  it("always takes one when the run blocks or ends", () => {
    const run: LoadedRun<unknown> = { state: null, meta: emptyMeta(), snapshotAt: 0 };
    run.meta.head = 1;
    expect(noteCommit(run, [updated(1, "")], { every: 64, growth: 0 }, true)).toBe(true);
  });

  it("counts characters of each event's JSON", () => {
    const se = updated(1, "abc");
    expect(eventBytes([se, se])).toBe(2 * JSON.stringify(se.event).length);
  });

  it("refuses a budget that is not a positive whole number, naming the option", () => {
    expect(snapshotBytesOption(undefined)).toBeUndefined();
    expect(snapshotBytesOption(1024)).toBe(1024);
    expect(() => snapshotBytesOption(0)).toThrow(/snapshotBytes must be a whole number/);
    expect(() => snapshotBytesOption(1.5, "workflow w: snapshotBytes")).toThrow(/^workflow w/);
  });

  it("lets a kernel's byte budget decide: ten 10 KB updates, a 25 KB budget, snapshots every third", async () => {
    const saved: number[] = [];
    const snapshots = new MemorySnapshotStore<TestState>();
    const save = snapshots.save.bind(snapshots);
    snapshots.save = async (snapshot) => {
      saved.push(snapshot.atSeq);
      await save(snapshot);
    };
    const big = "x".repeat(10_000);
    const kernel = makeKernel({
      snapshots,
      snapshotBytes: 25_000,
      step: new SequenceStep([
        ...Array.from({ length: 10 }, (_, i) => ({
          type: "emit" as const,
          events: [{ type: "StateUpdated" as const, payload: { i, big } }],
        })),
        { type: "complete" },
      ]),
    });
    await kernel.runUntilBlocked("bytes", 0);
    expect(saved).toEqual([3, 6, 9, 11]);
  });
});
