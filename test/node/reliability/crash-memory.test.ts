// Crash at every commit and every execute, on the memory store: recovery ends as the crash-free run.
import { MemoryRunStore } from "runlog";
import { expect, it } from "vitest";
import { checkCrashRecovery } from "../../support/crash-harness.ts";
import { crashSuiteOptions, propertyTimeout, report } from "./soak-config.ts";

it(
  "recovers a generated workflow from a crash at every point to the crash-free outcome (MemoryRunStore)",
  async () => {
    const store = new MemoryRunStore();
    const options = crashSuiteOptions(60);
    console.log(`[crash-recovery] MemoryRunStore seed ${options.seed}`);
    const figures = await checkCrashRecovery(
      { name: "MemoryRunStore", connect: async () => store },
      options,
    );
    report(figures);
    expect(figures.crashPoints).toBeGreaterThan(0);
  },
  propertyTimeout,
);
