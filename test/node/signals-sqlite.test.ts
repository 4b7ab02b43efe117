// Signals on a SQLite host: a signal the store cannot hold fails alone, never the signals that
// were queued with it, and a signal id names one signal for good.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { defineWorkflow, type Json, KernelError, ValidationError } from "runlog";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeHost } from "../../adapters/node/index.ts";

const dir = mkdtempSync(join(tmpdir(), "runlog-signals-"));
let files = 0;
const freshPath = () => join(dir, `s${files++}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An object nested `depth` levels deep: past a few thousand, JSON.stringify cannot write it. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe("signals on a SQLite host", () => {
  it("fails only the signal that cannot be stored; those queued with it are recorded", async () => {
    const host = await createNodeHost({ path: freshPath(), demos: true });
    try {
      await host.start("demo.signal", { name: "never" }, { runId: "batch", wait: true });
      const values: unknown[] = [1, 2, nested(20_000), 4, 5, 6];
      const answers = await Promise.allSettled(
        values.map((value, i) =>
          host.signal("batch", "note", value as never, { signalId: `s-${i}` }),
        ),
      );
      const outcome = answers.map((a) => a.status);
      expect(outcome).toEqual([
        "fulfilled",
        "fulfilled",
        "rejected",
        "fulfilled",
        "fulfilled",
        "fulfilled",
      ]);
      const refused = answers[2] as PromiseRejectedResult;
      expect(ValidationError.is(refused.reason)).toBe(true);
      await host.idle("batch");
      const ids = (await host.events("batch")).events.flatMap((e) =>
        e.event.type === "SignalReceived" ? [e.event.signalId] : [],
      );
      expect(ids.sort()).toEqual(["s-0", "s-1", "s-3", "s-4", "s-5"]);
      // The run goes on: a later signal is taken and the run is still readable.
      await host.signal("batch", "note", 7, { signalId: "s-7" });
      expect((await host.get("batch")).status).toBe("blocked");
    } finally {
      await host.close();
    }
  });

  it("refuses a signal id reused for another name or value, queued or not, and records nothing", async () => {
    const host = await createNodeHost({ path: freshPath(), demos: true });
    try {
      await host.start("demo.signal", { name: "never" }, { runId: "ids", wait: true });
      await host.signal("ids", "note", { n: 1 }, { signalId: "k" });
      const isConflict = (e: unknown) => KernelError.is(e) && e.code === "conflict";
      await expect(host.signal("ids", "note", { n: 2 }, { signalId: "k" })).rejects.toSatisfy(
        isConflict,
      );
      await expect(host.signal("ids", "other", { n: 1 }, { signalId: "k" })).rejects.toSatisfy(
        isConflict,
      );
      // The same signal again is a retry: taken, nothing appended.
      await host.signal("ids", "note", { n: 1 }, { signalId: "k" });
      // Sent together (queued behind one another): a reuse within the batch is refused alone.
      const answers = await Promise.allSettled([
        host.signal("ids", "note", "a", { signalId: "q" }),
        host.signal("ids", "note", "b", { signalId: "q" }),
        host.signal("ids", "note", { n: 9 }, { signalId: "k" }),
        host.signal("ids", "note", "c", { signalId: "r" }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([
        "fulfilled",
        "rejected",
        "rejected",
        "fulfilled",
      ]);
      const recorded = (await host.events("ids")).events.flatMap((e) =>
        e.event.type === "SignalReceived" ? [[e.event.signalId, e.event.value]] : [],
      );
      expect(recorded).toEqual([
        ["k", { n: 1 }],
        ["q", "a"],
        ["r", "c"],
      ]);
    } finally {
      await host.close();
    }
  });

  it("keeps a snapshot row of the same size after 5,000 signals, and dedupes each id through the index", async () => {
    const ticks = defineWorkflow<{ of: number }, { n: number; of: number; last: Json }>({
      name: "ticks",
      init: (input) => ({ n: 0, of: input.of, last: null }),
      step: (s) =>
        s.n < s.of
          ? { type: "do", action: { type: "waitSignal", name: "tick" } }
          : { type: "complete", output: s.n },
      reduce: (s, se) =>
        se.event.type === "ActionSucceeded"
          ? { ...s, n: s.n + 1, last: (se.event.output as { value: Json }).value }
          : s,
    });
    const path = freshPath();
    const host = await createNodeHost({ path, workflows: [ticks], durability: "relaxed" });
    const db = new BetterSqlite3(path, { readonly: true });
    const row = () =>
      db
        .prepare("SELECT at_seq, length(body) AS bytes FROM snapshots WHERE run_id = 'r'")
        .get() as {
        at_seq: number;
        bytes: number;
      };
    try {
      await host.start("ticks", { of: 10_000 }, { runId: "r", wait: true });
      const sizes: number[] = [];
      for (let i = 1; i <= 5_000; i++) {
        await host.signal("r", "tick", i, { signalId: `t${i}`, wait: true });
        if (i === 10 || i === 5_000) sizes.push(row().bytes);
      }
      expect(row().at_seq).toBe((await host.events("r")).head);
      // Only the digits of seqs, times and counters differ; every id kept would add ~30 KB.
      expect(Math.abs((sizes[1] ?? 0) - (sizes[0] ?? 0))).toBeLessThan(40);
      const indexed = db.prepare("SELECT count(*) FROM signal_ids WHERE run_id = 'r'").pluck();
      expect(indexed.get()).toBe(5_000);
      const head = (await host.events("r")).head;
      await host.signal("r", "tick", 1, { signalId: "t1", wait: true });
      expect((await host.events("r")).head).toBe(head);
    } finally {
      db.close();
      await host.close();
    }
  }, 120_000);
});
