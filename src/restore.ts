import type { EventStore } from "./event-store.ts";
import type { SequencedEvent } from "./events.ts";
import type { Reducer } from "./reducer.ts";
import { applyMeta, emptyMeta, type RunMeta, upgradeMeta } from "./run-meta.ts";
import type { Snapshot, SnapshotStore } from "./snapshot-store.ts";

/** A run as the driver holds it in memory: state, the kernel's meta, and the last snapshot's seq. */
export interface LoadedRun<S> {
  state: S;
  meta: RunMeta;
  snapshotAt: number;
  /** Characters of event JSON committed since that snapshot, when a byte budget counts them. */
  bytesSince?: number;
}

/** How to turn a stored snapshot of an older state version into the current one. */
export type Migrations<S> = Readonly<Record<number, (state: unknown) => S>>;

/** What restore needs. */
export interface RestoreOptions<S> {
  events: EventStore;
  snapshots: SnapshotStore<S> | undefined;
  reducer: Reducer<S>;
  stateVersion: number;
  migrations: Migrations<S> | undefined;
}

/**
 * Restores a run: the latest usable snapshot, then the events after it. A snapshot of another
 * state version is ignored (the log is replayed from the start) unless a migration is registered
 * for its version; a snapshot without the kernel's meta has the meta rebuilt from the log without
 * calling the reducer. A meta stored by an older runlog (with every signal id and the values of
 * unconsumed signals) is upgraded as it is read. A reducer with `restore` gets to make the
 * snapshot's state whole (from the events up to it) before the events after it are applied.
 */
export async function restoreRun<S>(
  runId: string,
  initialState: S,
  o: RestoreOptions<S>,
): Promise<LoadedRun<S>> {
  const snapshot = o.snapshots ? await o.snapshots.loadLatest(runId) : undefined;
  const usable = snapshot ? usableState(snapshot, o) : undefined;
  if (!snapshot || !usable) {
    const run: LoadedRun<S> = { state: initialState, meta: emptyMeta(), snapshotAt: 0 };
    applyAll(run, await o.events.read(runId, 1), o.reducer);
    return run;
  }
  let meta = snapshot.meta && upgradeMeta(snapshot.meta);
  if (!meta) {
    meta = emptyMeta();
    for (const se of await o.events.read(runId, 1, snapshot.atSeq)) applyMeta(meta, se);
  }
  const state = o.reducer.restore
    ? await o.reducer.restore(usable.state, () => o.events.read(runId, 1, snapshot.atSeq))
    : usable.state;
  const run: LoadedRun<S> = { state, meta, snapshotAt: snapshot.atSeq };
  applyAll(run, await o.events.read(runId, snapshot.atSeq + 1), o.reducer);
  return run;
}

/** Applies committed events to a loaded run: the user's reducer and the kernel's meta. */
export function applyAll<S>(
  run: LoadedRun<S>,
  events: readonly SequencedEvent[],
  reducer: Reducer<S>,
): void {
  let state = run.state;
  for (const se of events) {
    state = reducer.apply(state, se);
    applyMeta(run.meta, se);
  }
  run.state = state;
}

function usableState<S>(snapshot: Snapshot<S>, o: RestoreOptions<S>): { state: S } | undefined {
  const version = snapshot.stateVersion ?? o.stateVersion;
  if (version === o.stateVersion) return { state: snapshot.state };
  const migrate = o.migrations?.[version];
  return migrate ? { state: migrate(snapshot.state) } : undefined;
}
