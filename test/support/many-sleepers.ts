import type { Clock } from "runlog";
import { createHost } from "runlog";
import { demoWorkflows } from "runlog/demos";
import type { HostStore } from "runlog/store-kit";
import { RecordingWaker } from "./host-fixtures.ts";

/**
 * Leaves `count` runs of `demo.sleep` blocked on their timers in `store` (a host that never wakes
 * them), plus one run waiting on an interrupt and one completed: what a process leaves behind.
 */
export async function leaveSleepers(store: HostStore, clock: Clock, count: number): Promise<void> {
  const host = createHost({
    store,
    workflows: demoWorkflows,
    clock,
    waker: new RecordingWaker().factory,
  });
  for (let i = 0; i < count; i++) {
    await host.start("demo.sleep", { ms: 60_000 + i }, { runId: `s${i}`, wait: true });
  }
  await host.start("demo.signal", {}, { runId: "waits", wait: true });
  await host.start("demo.sleep", { ms: 0 }, { runId: "done", wait: true });
  await host.close();
}

/** After `recover()` on a fresh host: which of the sleepers got a wake-up armed, at their times. */
export function armedSleepers(waker: RecordingWaker, start: number, count: number): number {
  let armed = 0;
  for (let i = 0; i < count; i++) {
    if (waker.scheduled.get(`s${i}`) === start + 60_000 + i) armed += 1;
  }
  return armed;
}
