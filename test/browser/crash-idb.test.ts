// Crash at every commit and every execute, on IdbStore over Chromium's own IndexedDB: each life
// opens its own connection to one database and the dead one is closed, as a closed and reopened
// tab would, and every recovery ends as the crash-free run did.

import { IdbStore } from "runlog/idb";
import type { HostStore } from "runlog/store-kit";
import { afterAll, expect, it } from "vitest";
import { checkCrashRecovery } from "../support/crash-harness.ts";
import { CI_SEED, report } from "../support/crash-report.ts";
import { deleteDatabase } from "./idb-cleanup.ts";

const name = `runlog-crash-${Date.now().toString(36)}`;

afterAll(() => deleteDatabase(name));

it("recovers a generated workflow from a crash at every point to the crash-free outcome (IdbStore, Chromium)", async () => {
  const options = { seed: CI_SEED, runs: 20, maxOps: 8 };
  console.log(`[crash-recovery] IdbStore (Chromium) seed ${options.seed}`);
  let connections = 0;
  const figures = await checkCrashRecovery(
    {
      name: "IdbStore (Chromium)",
      connect: async () => {
        connections += 1;
        return IdbStore.open({ name });
      },
      disconnect: (store: HostStore) => (store as IdbStore).close(),
    },
    options,
  );
  report(figures);
  expect(figures.cases).toBe(options.runs);
  expect(figures.crashPoints).toBeGreaterThan(0);
  expect(figures.byPoint["before execute"]).toBeGreaterThan(0);
  expect(figures.byPoint["after execute"]).toBeGreaterThan(0);
  // One connection per life: the crash-free run's, then the dead one's and the recovering one's.
  expect(connections).toBeGreaterThanOrEqual(figures.scenarios + figures.crashPoints);
}, 180_000);
