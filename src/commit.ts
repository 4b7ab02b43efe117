import { ValidationError } from "./errors.ts";
import type { EventStore } from "./event-store.ts";
import type { Event } from "./events.ts";
import { sequence } from "./events.ts";
import type { Reducer } from "./reducer.ts";
import { applyAll, type LoadedRun } from "./restore.ts";
import { summarize } from "./run-index.ts";
import { cloneMeta } from "./run-meta.ts";
import { noteCommit, noteSnapshot } from "./snapshot-cadence.ts";
import type { Snapshot, SnapshotStore } from "./snapshot-store.ts";

/** What a commit needs from its kernel. */
export interface CommitDeps<S> {
  events: EventStore;
  snapshots: SnapshotStore<S> | undefined;
  reducer: Reducer<S>;
  snapshotEvery: number;
  snapshotGrowth: number;
  /** A byte budget for snapshot cadence (see `KernelOptions.snapshotBytes`). */
  snapshotBytes?: number | undefined;
  stateVersion: number;
  now(): number;
  /** Forgets the run held in memory, after a failed append. */
  drop(runId: string): void;
}

/** A commit's needs, from a kernel's settings and its clock and cache. */
export function commitDepsOf<S>(
  k: Omit<CommitDeps<S>, "now" | "drop">,
  now: () => number,
  drop: (runId: string) => void,
): CommitDeps<S> {
  const { events, snapshots, reducer, snapshotEvery, snapshotGrowth, snapshotBytes } = k;
  const { stateVersion } = k;
  return {
    ...{ events, snapshots, reducer, snapshotEvery, snapshotGrowth, snapshotBytes },
    ...{ stateVersion, now, drop },
  };
}

/** Events given as they are, or made once the batch's time is known. */
export type GivenEvents = Event[] | ((ts: number) => Event[]);

/**
 * Commits one batch: numbered from the head held in memory, stamped with one time, applied to
 * state and meta, and sent with a snapshot when one is due (cadence, or the run blocks or ends)
 * in the same append. A failed append drops the run from memory so the next call restores it.
 */
export async function commitBatch<S>(
  k: CommitDeps<S>,
  runId: string,
  run: LoadedRun<S>,
  given: GivenEvents,
): Promise<void> {
  const before = run.meta.head;
  const ts = Math.max(k.now(), run.meta.lastTs);
  const events = typeof given === "function" ? given(ts) : given;
  const batch = sequence(events, before, ts);
  const output =
    events.length === 1 && events[0]?.type === "ActionSucceeded" ? events[0] : undefined;
  // An outcome changes only top-level fields of the meta and its list of buffered signals, so a
  // shallow copy is enough to put the run back if the store refuses the output.
  const saved = output ? savedRun(run) : undefined;
  applyAll(run, batch, k.reducer);
  const summary = summarize(runId, run.meta, ts);
  const settled = summary.status !== "running";
  const cadence = { every: k.snapshotEvery, growth: k.snapshotGrowth, bytes: k.snapshotBytes };
  const due = noteCommit(run as LoadedRun<unknown>, batch, cadence, settled);
  const combined = due && k.snapshots !== undefined && (k.snapshots as unknown) === k.events;
  let snapshot: Snapshot<S> | undefined;
  try {
    // Inside the try: a meta that cannot be copied (a value too deep for JSON) fails the commit
    // like a store's refusal, and the run is put back or dropped from memory with it.
    snapshot =
      due && k.snapshots
        ? {
            runId,
            atSeq: run.meta.head,
            state: run.state,
            stateVersion: k.stateVersion,
            meta: cloneMeta(run.meta),
          }
        : undefined;
    await k.events.append(runId, batch, {
      expectedHead: before,
      durability: settled ? "strict" : "relaxed",
      summary,
      ...(combined && snapshot ? { snapshot } : {}),
    });
  } catch (error) {
    if (output && saved && ValidationError.is(error)) {
      // The store refused the output itself (too large, say): running the action again would
      // only be refused again, so the refusal becomes the action's recorded, final failure.
      Object.assign(run, saved);
      const message = `run ${runId}: the store refused the output of ${output.actionId}: ${error.message}`;
      const failure = { kind: "permanent" as const, code: "output_refused", message };
      await commitBatch(k, runId, run, [
        { type: "ActionFailed", actionId: output.actionId, error: failure },
      ]);
      return;
    }
    k.drop(runId);
    throw error;
  }
  if (!snapshot) return;
  if (!combined && k.snapshots) {
    // A snapshot is a cache: the events are committed, so a failed save only costs restore time.
    try {
      await k.snapshots.save(snapshot);
    } catch {
      return;
    }
  }
  noteSnapshot(run as LoadedRun<unknown>, snapshot.atSeq);
}

/**
 * Commits events the store may refuse as invalid (a value it cannot hold). An append is atomic,
 * so on such a refusal nothing was written: the run is put back as it was and the refusal is
 * answered instead of thrown. Any other failure is thrown as `commitBatch` throws it.
 */
export async function commitRefusable<S>(
  k: CommitDeps<S>,
  runId: string,
  run: LoadedRun<S>,
  events: Event[],
  keep: (run: LoadedRun<S>) => void,
): Promise<ValidationError | undefined> {
  const saved = savedRun(run);
  try {
    await commitBatch(k, runId, run, events);
    return undefined;
  } catch (error) {
    if (!ValidationError.is(error)) throw error;
    Object.assign(run, saved);
    keep(run);
    return error;
  }
}

/**
 * What a commit of external events or of one outcome can change: the state, the meta's top-level
 * fields and its lists, and the snapshot seq. A copy that deep puts the run back.
 */
function savedRun<S>(run: LoadedRun<S>): LoadedRun<S> {
  const meta = run.meta;
  return {
    state: run.state,
    meta: {
      ...meta,
      signals: meta.signals.slice(),
      ...(meta.more ? { more: meta.more.slice() } : {}),
    },
    snapshotAt: run.snapshotAt,
  };
}
