import type { RunInfo } from "../../src/index.ts";
import { type Backend, isDue } from "./backend.ts";
import type { Progress } from "./progress.ts";
import { waitingText } from "./render.ts";

/**
 * Polls a run until it ends or waits for a person or a signal; sleeps and retry backoffs are
 * waited out (in DB mode the host of this process wakes them).
 */
export async function waitSettled(
  backend: Backend,
  runId: string,
  progress: Progress,
): Promise<RunInfo> {
  for (;;) {
    const info = await backend.get(runId);
    const b = info.blocked;
    const settled =
      info.status !== "running" && !(b && (b.timerAt !== undefined || b.retryAt !== undefined));
    if (settled) {
      progress.done();
      return info;
    }
    if (isDue(info) && backend.nudge) await backend.nudge(runId);
    progress.update(`waiting for ${runId}: ${info.status}${b ? `, on ${waitingText(info)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
