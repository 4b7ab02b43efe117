import type { Clock } from "../ports.ts";

/**
 * Wakes durable sleeps and retry backoffs at their time. A later `schedule` for the same run
 * replaces the earlier one. Implementations: timers in a page or a process, the Durable Object
 * alarm at the edge.
 */
export interface Waker {
  schedule(runId: string, at: number): void;
  cancel(runId: string): void;
  /** Stops every pending wake-up. */
  close(): void;
}

/** Makes a waker that calls `wake(runId)` when a run is due. */
export type WakerFactory = (wake: (runId: string) => void, clock: Clock) => Waker;

declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;

// Timers take at most a signed 32-bit delay; a longer wait is made of several.
const MAX_DELAY = 2_147_483_647;

/** A waker on `setTimeout`, which browsers, Workers and Node all have. */
export const timerWaker: WakerFactory = (wake, clock) => {
  const timers = new Map<string, unknown>();
  const arm = (runId: string, at: number) => {
    const delay = Math.max(0, at - clock.now());
    const handle = setTimeout(
      () => {
        timers.delete(runId);
        if (delay > MAX_DELAY) arm(runId, at);
        else wake(runId);
      },
      Math.min(delay, MAX_DELAY),
    );
    timers.set(runId, handle);
  };
  return {
    schedule(runId, at) {
      this.cancel(runId);
      arm(runId, at);
    },
    cancel(runId) {
      const handle = timers.get(runId);
      if (handle !== undefined) clearTimeout(handle);
      timers.delete(runId);
    },
    close() {
      for (const handle of timers.values()) clearTimeout(handle);
      timers.clear();
    },
  };
};

/** A waker that never fires by itself: tests and tools call `host.wake(runId)` instead. */
export const manualWaker: WakerFactory = () => ({ schedule() {}, cancel() {}, close() {} });
