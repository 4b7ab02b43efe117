import type { SequencedEvent } from "../../src/index.ts";
import { type EventStore, metaOf, type SnapshotStore } from "../../src/store-kit/index.ts";
import { type CounterState, counterKernel, counterReducer, counterStart } from "./counter.ts";

/**
 * Writes a counter log of `events` StateUpdated events (plus the final Interrupted) to `store`,
 * 1000 events per commit and no snapshots, so that restore has only what the caller saves.
 */
export async function buildCounterLog(
  store: EventStore,
  runId: string,
  events: number,
): Promise<void> {
  const kernel = counterKernel(
    store,
    { steps: events, batch: 1000, end: "interrupt" },
    { snapshots: false },
  );
  const status = await kernel.runUntilBlocked(runId, counterStart);
  if (status.type !== "blocked") throw new Error(`building the log ended ${status.type}`);
}

/** The tool-variant counter log of `steps` steps (3 events a step), no snapshots. */
export async function buildToolLog(store: EventStore, runId: string, steps: number): Promise<void> {
  const kernel = counterKernel(store, { steps, tool: true }, { snapshots: false });
  const status = await kernel.runUntilBlocked(runId, counterStart);
  if (status.type !== "completed") throw new Error(`building the log ended ${status.type}`);
}

/**
 * Saves the snapshot a kernel would have left `tail` events before the head (what a cadence of
 * `tail + 1` leaves at worst), computed from the log.
 */
export async function saveSnapshotBefore(
  store: EventStore & SnapshotStore,
  runId: string,
  tail: number,
): Promise<number> {
  const head = await store.head(runId);
  const atSeq = Math.max(0, head - tail);
  const events: SequencedEvent[] = await store.read(runId, 1, atSeq);
  let state: CounterState = counterStart;
  for (const se of events) state = counterReducer.apply(state, se);
  await store.save({ runId, atSeq, state, stateVersion: 1, meta: metaOf(events) });
  return atSeq;
}
