import type { RunIndex } from "../run-index.ts";

/** How many runs `recoverRuns` reads from the index at a time. */
const PAGE = 500;

/** What `recoverRuns` does with each run it finds. */
export interface RecoverHandlers {
  /** A sleeping or backing-off run: arm its wake-up (a due one fires at once). */
  schedule(runId: string, at: number): void;
  /** A run that was `running` when its process stopped: drive it. */
  drive(runId: string): void;
}

/**
 * After a restart, walks the whole run index page by page (however many runs there are): every
 * blocked run with a `wakeAt` is scheduled and every `running` run is driven. Interrupted and
 * signal-waiting runs need nothing; ended runs are not touched.
 */
export async function recoverRuns(
  index: RunIndex,
  handlers: RecoverHandlers,
): Promise<{ woken: number; rearmed: number }> {
  let woken = 0;
  let rearmed = 0;
  for (const status of ["blocked", "running"] as const) {
    let cursor: string | undefined;
    do {
      const page = await index.listRuns({ status, limit: PAGE, ...(cursor ? { cursor } : {}) });
      for (const run of page.runs) {
        if (status === "running") {
          handlers.drive(run.runId);
          woken += 1;
        } else if (run.wakeAt !== undefined) {
          handlers.schedule(run.runId, run.wakeAt);
          rearmed += 1;
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return { woken, rearmed };
}
