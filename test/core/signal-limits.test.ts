// A run's unconsumed signals are bounded (count and bytes): past the bound a signal is refused
// with `too_many_signals` and nothing is appended; consumed signals free their room.

import {
  type ActionResult,
  createHost,
  createMemoryHost,
  DEFAULT_SIGNAL_LIMITS,
  ErrorCode,
  MemoryRunStore,
  TooManySignalsError,
  workflow,
} from "runlog";
import { demoWorkflows } from "runlog/demos";
import { describe, expect, it } from "vitest";

const tooMany = (e: unknown) =>
  TooManySignalsError.is(e) && e.code === ErrorCode.TooManySignals && e.code === "too_many_signals";

describe("signals: bounded per run", () => {
  it("refuses the signal past the count limit, appending nothing, and answers a repeat of a recorded one", async () => {
    const host = createMemoryHost({
      workflows: demoWorkflows,
      signalLimits: { maxPending: 3 },
    });
    await host.start("demo.signal", { name: "go" }, { runId: "r", wait: true });
    for (let i = 0; i < 3; i++) await host.signal("r", "other", i, { signalId: `s${i}` });
    const head = (await host.events("r")).head;
    await expect(host.signal("r", "other", 3, { signalId: "s3" })).rejects.toSatisfy(tooMany);
    await expect(host.signal("r", "other", 3, { signalId: "s3" })).rejects.toThrow(
      /holds 3 signals no step has consumed \(the limit is 3\); signal other was not recorded/,
    );
    expect((await host.events("r")).head).toBe(head);
    // A repeat of a recorded signal appends nothing and is answered as before.
    await host.signal("r", "other", 0, { signalId: "s0" });
    expect((await host.events("r")).head).toBe(head);
    // The signal the run waits for is never kept out by the others: it is consumed at once.
    const done = await host.signal("r", "go", "now", { signalId: "g", wait: true });
    expect(done).toMatchObject({ status: "completed", output: "now" });
    await host.close();
  });

  it("refuses a signal that would take the unconsumed ones past the byte limit", async () => {
    const host = createMemoryHost({
      workflows: demoWorkflows,
      signalLimits: { maxPendingBytes: 1_000 },
    });
    await host.start("demo.signal", { name: "go" }, { runId: "r", wait: true });
    await host.signal("r", "other", "x".repeat(600), { signalId: "a" });
    await expect(host.signal("r", "other", "é".repeat(300), { signalId: "b" })).rejects.toSatisfy(
      (e: unknown) =>
        tooMany(e) && /would take its unconsumed signals to 1214 bytes/.test(String(e)),
    );
    // The signal the run waits for still fits, and consuming it frees room.
    const done = await host.signal("r", "go", 1, { signalId: "c", wait: true });
    expect(done.status).toBe("completed");
    await host.close();
  });

  it("holds the default of 1,000 unconsumed signals per run", async () => {
    expect(DEFAULT_SIGNAL_LIMITS).toEqual({ maxPending: 1_000, maxPendingBytes: 4 * 1024 * 1024 });
    const host = createMemoryHost({ workflows: demoWorkflows });
    await host.start("demo.signal", { name: "go" }, { runId: "r", wait: true });
    for (let i = 0; i < 1_000; i++) await host.signal("r", "other", i, { signalId: `s${i}` });
    await expect(host.signal("r", "other", 0, { signalId: "one-more" })).rejects.toSatisfy(tooMany);
    await host.close();
  });

  it("refuses only the signals past the limit among those queued while the run is busy", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = workflow("slow-then-wait", 1, function* (ctx) {
      yield* ctx.tool("slow", null);
      return yield* ctx.waitSignal("go");
    });
    const executor = {
      execute: async (): Promise<ActionResult> => {
        await gate;
        return { type: "success", output: null };
      },
    };
    const host = createHost({
      store: new MemoryRunStore(),
      workflows: [slow],
      executor,
      signalLimits: { maxPending: 2 },
    });
    await host.start("slow-then-wait", null, { runId: "b" });
    await new Promise((r) => setTimeout(r, 5));
    const sent = [0, 1, 2, 3].map((i) =>
      host.signal("b", "other", i, { signalId: `q${i}` }).then(
        () => "recorded",
        (e: unknown) => (tooMany(e) ? "refused" : String(e)),
      ),
    );
    release();
    expect(await Promise.all(sent)).toEqual(["recorded", "recorded", "refused", "refused"]);
    await host.idle("b");
    const types = (await host.events("b")).events.map((e) => e.event.type);
    expect(types.filter((t) => t === "SignalReceived")).toHaveLength(2);
    await host.close();
  });
});
