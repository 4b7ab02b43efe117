/** The spread of a set of samples. */
export interface Summary {
  n: number;
  min: number;
  median: number;
  max: number;
  mean: number;
  p99: number;
}

/** Summarizes samples (any unit); an empty set summarizes to NaNs. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const at = (q: number) =>
    n === 0 ? Number.NaN : (sorted[Math.min(n - 1, Math.floor(q * n))] as number);
  const median =
    n === 0
      ? Number.NaN
      : n % 2 === 1
        ? (sorted[(n - 1) / 2] as number)
        : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
  const mean = n === 0 ? Number.NaN : sorted.reduce((a, b) => a + b, 0) / n;
  return {
    n,
    min: sorted[0] ?? Number.NaN,
    median,
    max: sorted[n - 1] ?? Number.NaN,
    mean,
    p99: at(0.99),
  };
}

/** The value at quantile `q` (0..1) of samples, nearest rank. */
export function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  ] as number;
}

/** How many times to run a measurement. */
export interface RepeatOptions {
  /** Runs whose results count. At least 5 in a real pass. */
  runs: number;
  /** Runs before them whose results are dropped. Default 1. */
  warmup?: number;
}

/**
 * Runs `once` `warmup` times, then `runs` times, and summarizes what the counted runs returned
 * (each run returns its own measurement: a time per step, a rate, …).
 */
export async function repeat(
  once: (i: number) => number | Promise<number>,
  o: RepeatOptions,
): Promise<Summary> {
  const samples: number[] = [];
  const warmup = o.warmup ?? 1;
  for (let i = 0; i < warmup + o.runs; i++) {
    const value = await once(i);
    if (i >= warmup) samples.push(value);
  }
  return summarize(samples);
}

/** Milliseconds `fn` takes, with `performance.now()`. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Asks V8 to collect garbage when the process runs with `--expose-gc`; otherwise does nothing. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}
