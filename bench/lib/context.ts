import type { Machine } from "./machine.ts";

/** What every benchmark gets from bench/run.ts. */
export interface BenchContext {
  /** A short pass: fewer and smaller sizes, still at least 5 counted runs. */
  quick: boolean;
  machine: Machine;
  /** A scratch directory on disk (not tmpfs), removed after the pass. */
  tmpDir: string;
  /** Progress on stderr. */
  log(message: string): void;
}

/** One benchmark: its measure number in issue 8, its title, and what it does. */
export interface Benchmark {
  id: number;
  title: string;
  /** Runs the benchmark and returns its RESULTS.md section (Markdown, without the heading line). */
  run(ctx: BenchContext): Promise<string>;
}

/** Counted runs: at least 5 always. */
export const RUNS = 5;
