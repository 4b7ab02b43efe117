import type { SequencedEvent } from "../events.ts";
import type { ObservedStore } from "./observed-store.ts";

/** Where a watch starts and how it ends. */
export interface WatchOptions {
  /** The first seq to deliver. Default 1 (the whole log, then what comes). */
  from?: number;
  /** Keep watching after the run ends (for a run that may be forked or resumed). Default false. */
  follow?: boolean;
  /** Ends the watch when it fires. */
  signal?: { aborted: boolean; addEventListener(type: "abort", listener: () => void): void };
}

/**
 * Yields a run's events from `from` in seq order, first those stored, then each as it is
 * committed, with no gap and no repeat; it ends after the event that ends the run.
 */
export async function* watchRun(
  store: ObservedStore,
  runId: string,
  options: WatchOptions = {},
): AsyncGenerator<SequencedEvent> {
  let next = Math.max(1, options.from ?? 1);
  const queue: SequencedEvent[] = [];
  let wake: (() => void) | undefined;
  let aborted = options.signal?.aborted ?? false;
  const unsubscribe = store.subscribe(runId, (_id, events) => {
    queue.push(...events);
    wake?.();
  });
  options.signal?.addEventListener("abort", () => {
    aborted = true;
    wake?.();
  });
  const ends = async (se: SequencedEvent): Promise<boolean> => {
    if (options.follow) return false;
    const t = se.event.type;
    if (t === "Completed" || t === "Cancelled") return true;
    if (t !== "ActionFailed") return false;
    return (await store.getRun(runId))?.status === "failed";
  };
  try {
    for (;;) {
      const stored = await store.read(runId, next);
      for (const se of stored) {
        yield se;
        next = se.seq + 1;
        if (await ends(se)) return;
      }
      if (!options.follow) {
        // A run that has already ended sends nothing more: a watch from past its end ends too.
        const summary = await store.getRun(runId);
        const status = summary?.status;
        const ended = status === "completed" || status === "failed" || status === "cancelled";
        if (ended && summary && next > summary.head) return;
      }
      while (!aborted) {
        const se = queue.shift();
        if (!se) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        if (se.seq < next) continue;
        if (se.seq > next) {
          queue.unshift(se);
          break;
        }
        yield se;
        next = se.seq + 1;
        if (await ends(se)) return;
      }
      if (aborted) return;
    }
  } finally {
    unsubscribe();
  }
}
