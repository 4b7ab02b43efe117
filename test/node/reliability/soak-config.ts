// How the crash suites size themselves: a fixed seed and a bounded number of cases in CI; with
// SOAK=1 (`npm run soak`) a random seed (or SOAK_SEED), SOAK_RUNS cases and several crashes per
// scenario.
import type { CrashFigures } from "../../support/crash-harness.ts";

export const soak = process.env.SOAK === "1";

/** The seed CI always uses, so a failure there reproduces anywhere. */
export const CI_SEED = 20_260_101;

export function crashSuiteOptions(ciRuns: number, ciMaxOps = 8) {
  const seed = soak
    ? Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31))
    : CI_SEED;
  const runs = soak ? Number(process.env.SOAK_RUNS ?? ciRuns * 20) : ciRuns;
  return { seed, runs, maxOps: soak ? 14 : ciMaxOps, multi: soak };
}

/** The seed of the other fuzz suites: CI's, or the soak's. */
export const fuzzSeed = soak && process.env.SOAK_SEED ? Number(process.env.SOAK_SEED) : CI_SEED;

/** Time allowed to one property: generous under soak, bounded in CI. */
export const propertyTimeout = soak ? 24 * 3600_000 : 180_000;

/** Prints what a property run covered, in one line the docs quote. */
export function report(f: CrashFigures): void {
  const points = Object.entries(f.byPoint)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  console.log(
    `[crash-recovery] ${f.store}: seed ${f.seed}, ${f.cases} cases, ${f.crashPoints} crash points (${points}), ${f.scenarios} scenarios, ${f.events} events checked, ${f.reExecutions} re-executions, ${(f.ms / 1000).toFixed(1)} s`,
  );
}
