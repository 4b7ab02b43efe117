// The host under pressure: recovery of more runs than one page of the index, a store that keeps
// failing, a wake-up that fires a moment early.

import { type Clock, createHost, KernelError, MemoryRunStore, type SequencedEvent } from "runlog";
import { demoWorkflows } from "runlog/demos";
import type { AppendOptions } from "runlog/store-kit";
import { ManualClock } from "runlog/testing";
import { describe, expect, it } from "vitest";
import { RecordingWaker } from "../support/host-fixtures.ts";
import { armedSleepers, leaveSleepers } from "../support/many-sleepers.ts";

const T0 = 1_800_000_000_000;

describe("host: recovery after a restart", () => {
  it("re-arms every sleeping run, past the first thousand", async () => {
    const store = new MemoryRunStore();
    const clock = new ManualClock(T0);
    await leaveSleepers(store, clock, 1_100);
    const waker = new RecordingWaker();
    const host = createHost({ store, workflows: demoWorkflows, clock, waker: waker.factory });
    expect(await host.recover()).toEqual({ woken: 0, rearmed: 1_100 });
    expect(armedSleepers(waker, T0, 1_100)).toBe(1_100);
    expect(waker.scheduled.has("waits")).toBe(false);
    clock.advance(61_100);
    expect(waker.fireDue(clock)).toHaveLength(1_100);
    await Promise.all(Array.from({ length: 1_100 }, (_, i) => host.idle(`s${i}`)));
    const page = await host.list({ status: "completed", limit: 1000 });
    expect(page.nextCursor).toBeDefined();
    expect((await host.list({ status: "blocked" })).runs.map((r) => r.runId)).toEqual(["waits"]);
    await host.close();
  });
});

/** A store whose appends fail (a full disk) while `failing` is set; reads go on working. */
class FullDiskStore extends MemoryRunStore {
  failing = false;
  appendCalls = 0;
  override async append(
    runId: string,
    events: readonly SequencedEvent[],
    options: AppendOptions,
  ): Promise<void> {
    this.appendCalls += 1;
    if (this.failing) throw new KernelError("store", "database or disk is full");
    return super.append(runId, events, options);
  }
}

describe("host: a store that keeps failing", () => {
  it("backs off a due run (1 s, 2 s, 4 s …) instead of retrying it at once, and reports the error once", async () => {
    const store = new FullDiskStore();
    const clock = new ManualClock(T0);
    const waker = new RecordingWaker();
    const errors: unknown[] = [];
    const host = createHost({
      store,
      workflows: demoWorkflows,
      clock,
      waker: waker.factory,
      onError: (_runId, error) => errors.push(error),
    });
    await host.start("demo.sleep", { ms: 1_000 }, { runId: "nap", wait: true });
    store.failing = true;
    clock.advance(5_000);
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      await host.wake("nap");
      const at = waker.scheduled.get("nap");
      expect(at).toBeDefined();
      delays.push((at as number) - clock.now());
      clock.set(at as number);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000]);
    expect(errors).toHaveLength(1);
    // Space comes back: the next wake-up completes the run, and a new failure is news again.
    store.failing = false;
    await host.wake("nap");
    expect((await host.get("nap")).status).toBe("completed");
    await host.close();
  });
});

/** A clock that moves on by 1 ms each time it is read: time passes while a drive runs. */
class TickingClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t++;
  }
}

describe("host: a wake-up that fires a moment early", () => {
  it("leaves the run armed (or re-driven) when its timer comes due while the drive ends", async () => {
    const manual = new ManualClock(T0);
    const clock: Clock & { ticking?: TickingClock } = {
      now: () => (clock.ticking ? clock.ticking.now() : manual.now()),
    };
    const waker = new RecordingWaker();
    const host = createHost({
      store: new MemoryRunStore(),
      workflows: demoWorkflows,
      clock,
      waker: waker.factory,
    });
    await host.start("demo.sleep", { ms: 1_000 }, { runId: "nap", wait: true });
    const due = waker.scheduled.get("nap") as number;
    expect(due).toBe(T0 + 1_000);
    // The timer fires 1 ms early; the drive reads the clock before the sleep is due, and the
    // sleep is due by the time the drive ends.
    waker.scheduled.delete("nap");
    clock.ticking = new TickingClock(due - 1);
    await host.wake("nap");
    await host.idle("nap");
    const info = await host.get("nap");
    if (info.status !== "completed") {
      const at = waker.scheduled.get("nap");
      expect(at, "a run whose sleep is due is armed").toBeDefined();
      expect(at as number).toBeLessThanOrEqual(clock.now());
      waker.fireDue(clock);
      await host.idle("nap");
    }
    expect((await host.get("nap")).status).toBe("completed");
    await host.close();
  });
});
