import { MemoryEventStore, MemoryRunStore, MemorySnapshotStore } from "../../src/index.ts";
import { type CounterOptions, counterKernel, counterStart } from "./counter.ts";

/** Which memory store a counter run uses: the host's combined store, or the kernel's two. */
export type MemoryKind = "run-store" | "event-store";

/**
 * ms per step of one counter run on a fresh memory store: the whole `runUntilBlocked` divided by
 * the steps.
 * @throws Error when the run does not complete.
 */
export async function counterRunMs(
  o: CounterOptions,
  kind: MemoryKind = "run-store",
): Promise<number> {
  const kernel =
    kind === "run-store"
      ? counterKernel(new MemoryRunStore(), o)
      : counterKernel(new MemoryEventStore(), o, { snapshots: new MemorySnapshotStore() });
  const t0 = performance.now();
  const status = await kernel.runUntilBlocked("bench", counterStart);
  const ms = performance.now() - t0;
  if (status.type !== "completed") throw new Error(`the counter run ended ${status.type}`);
  return ms / o.steps;
}
