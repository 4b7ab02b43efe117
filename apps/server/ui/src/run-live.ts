// Follows a run's stream from a seq on, reconnecting (from the last seq seen) until the run ends
// or the page goes away.
import { readEventStream } from "./sse.ts";
import type { ApiEvent } from "./types.ts";

/** What the follower reports. */
export interface LiveHandlers {
  onEvent(event: ApiEvent): void;
  onState(state: "live" | "reconnecting" | "ended"): void;
  /** Asked when the stream closes: is the run over (so there is nothing more to wait for)? */
  isOver(): Promise<boolean>;
}

/** Starts following run `runId` after `lastSeq`; call the result to stop. */
export function followRun(
  runId: string,
  lastSeq: () => number,
  handlers: LiveHandlers,
): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const loop = async () => {
    let failures = 0;
    while (!signal.aborted) {
      const path = `/runs/${encodeURIComponent(runId)}/stream?from=${lastSeq() + 1}`;
      try {
        handlers.onState("live");
        await readEventStream(
          path,
          (message) => {
            failures = 0;
            let event: ApiEvent;
            try {
              event = JSON.parse(message.data) as ApiEvent;
            } catch {
              return;
            }
            if (typeof event.seq === "number" && event.seq > lastSeq()) handlers.onEvent(event);
          },
          signal,
        );
      } catch {
        if (signal.aborted) return;
        failures += 1;
      }
      if (signal.aborted) return;
      if (await handlers.isOver().catch(() => false)) break;
      handlers.onState("reconnecting");
      await sleep(Math.min(5000, 500 * 2 ** failures));
    }
    if (!signal.aborted) handlers.onState("ended");
  };
  void loop();
  return () => controller.abort();
}
