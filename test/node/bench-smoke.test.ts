import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { counterRunMs } from "../../bench/lib/counter-run.ts";
import { duration, spread, table } from "../../bench/lib/format.ts";
import {
  RESULTS_PATH,
  RUNS_DIR,
  resultsTargets,
  runResultsPath,
  writeSection,
} from "../../bench/lib/results.ts";
import { repeat, summarize } from "../../bench/lib/stats.ts";
import { measureSpeed, speedSection } from "../../bench/workflow-speed.ts";

// The benchmarks themselves never run under `npm test` (`npm run bench` runs them); this only
// proves that the harness they share works, on a tiny N, asserting shapes and never speeds.
describe("the benchmark harness", () => {
  it("summarizes samples as min, median, max, mean and p99", () => {
    const s = summarize([5, 1, 3, 2, 4]);
    expect(s).toEqual({ n: 5, min: 1, median: 3, max: 5, mean: 3, p99: 5 });
    expect(summarize([]).n).toBe(0);
  });

  it("repeats a measurement after a dropped warm-up and summarizes the counted runs", async () => {
    const calls: number[] = [];
    const s = await repeat(
      async (i) => {
        calls.push(i);
        return counterRunMs({ steps: 10 });
      },
      { runs: 5, warmup: 1 },
    );
    expect(calls).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.n).toBe(5);
    expect(s.min).toBeGreaterThan(0);
    expect(s.min).toBeLessThanOrEqual(s.median);
    expect(s.median).toBeLessThanOrEqual(s.max);
  });

  it("runs the tool variant of the counter to completion", async () => {
    const ms = await counterRunMs({ steps: 10, tool: true });
    expect(Number.isFinite(ms)).toBe(true);
  });

  it("prints a Markdown table and replaces only its own section of a results file", () => {
    const s = summarize([0.001, 0.002, 0.003]);
    const text = table(["what", "time"], [["x", spread(s, duration)]]);
    expect(text.split("\n")).toHaveLength(3);
    expect(text).toContain("**2.00 µs**");
    const dir = mkdtempSync(join(tmpdir(), "bench-smoke-"));
    try {
      const path = join(dir, "RESULTS.md");
      writeSection("2", "### 2. two\n\nfirst", path);
      writeSection("1", "### 1. one", path);
      writeSection("2", "### 2. two\n\nsecond", path);
      const written = readFileSync(path, "utf8");
      expect(written).toContain("second");
      expect(written).not.toContain("first");
      expect(written.indexOf("### 1. one")).toBeLessThan(written.indexOf("### 2. two"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes a pass to its own file and the committed RESULTS.md only when asked", () => {
    const out = runResultsPath(new Date("2026-12-07T22:40:05.123Z"));
    expect(out).toBe(`${RUNS_DIR}2026-12-07T22-40-05Z.md`);
    expect(resultsTargets(out, false)).toEqual([out]);
    expect(resultsTargets(out, true)).toEqual([out, RESULTS_PATH]);
  });

  it("measures the three ways to write a run (measure 12) and prints their section", async () => {
    const o = { runs: [3, 6], replays: [3, 6], rounds: 1, stepsPerSample: 6 };
    const samples = await measureSpeed(o);
    expect([...samples.run.keys()].sort()).toEqual(
      ["async:3", "async:6", "generator:3", "generator:6", "step:3", "step:6"].sort(),
    );
    expect(samples.events.get(6)).toBe(14);
    const text = speedSection("speed", "header", o, samples);
    expect(text).toContain("### 12. speed");
    expect(text).toContain("| `workflow()` generator (`yield*`) | 6 |");
    expect(text).toMatch(/async: per event at N = 6 against N = 3: replay/);
  });
});
