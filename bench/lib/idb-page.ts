/** What the IndexedDB benchmark's page (bench/browser/idb-bench.ts) offers its driver. */
export interface IdbBenchPage {
  /** Per-step ms of a counter run of `steps` on a new IdbStore. */
  kernelSteps(steps: number, durability: "relaxed" | "strict" | "auto"): Promise<number[]>;
  /** Per-put ms of `n` puts of a small record, each its own readwrite transaction. */
  barePuts(
    n: number,
    durability: "relaxed" | "strict",
    mode?: "put" | "get-then-put" | "get-with-put",
  ): Promise<number[]>;
  /** Replay rates (events/s) and restore times (ms) of a counter log of `events`, `times` each. */
  replayAndRestore(
    events: number,
    times: number,
  ): Promise<{ replay: number[]; restore: number[]; records: number }>;
  /** Replay rates (events/s) of a log written one event a commit. */
  replayPerRecord(steps: number, times: number): Promise<number[]>;
  crossOriginIsolated(): boolean;
  userAgent(): string;
}
