// The crash suites' fixed seed and their one-line report: no runtime globals, so the browser and
// workers projects use them as the node project does.
import type { CrashFigures } from "./crash-harness.ts";

/** The seed CI always uses, so a failure there reproduces anywhere. */
export const CI_SEED = 20_260_101;

/** Prints what a property run covered, in one line the docs quote. */
export function report(f: CrashFigures): void {
  const points = Object.entries(f.byPoint)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  console.log(
    `[crash-recovery] ${f.store}: seed ${f.seed}, ${f.cases} cases, ${f.crashPoints} crash points (${points}), ${f.scenarios} scenarios, ${f.events} events checked, ${f.reExecutions} re-executions, ${(f.ms / 1000).toFixed(1)} s`,
  );
}
