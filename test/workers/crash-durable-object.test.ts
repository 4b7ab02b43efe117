// Crash at every commit and every execute, on DurableObjectStore inside a real Durable Object in
// workerd: each life makes its own store on the object's SQLite storage, as an object's new
// instance after eviction does, and every recovery ends as the crash-free run did.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { DurableObjectStore } from "../../adapters/cloudflare/index.ts";
import { checkCrashRecovery } from "../support/crash-harness.ts";
import { CI_SEED, report } from "../support/crash-report.ts";

it("recovers a generated workflow from a crash at every point to the crash-free outcome (DurableObjectStore, workerd)", async () => {
  const options = { seed: CI_SEED, runs: 40, maxOps: 8 };
  console.log(`[crash-recovery] DurableObjectStore (workerd) seed ${options.seed}`);
  const stub = env.STORE_TEST.get(env.STORE_TEST.idFromName(`crash-${Date.now()}`));
  const figures = await runInDurableObject(stub, async (_instance, state) => {
    let stores = 0;
    const result = await checkCrashRecovery(
      {
        name: "DurableObjectStore (workerd)",
        connect: async () => {
          stores += 1;
          return new DurableObjectStore(state.storage);
        },
      },
      options,
    );
    return { ...result, stores };
  });
  report(figures);
  expect(figures.cases).toBe(options.runs);
  expect(figures.crashPoints).toBeGreaterThan(0);
  expect(figures.byPoint["before execute"]).toBeGreaterThan(0);
  expect(figures.byPoint["after execute"]).toBeGreaterThan(0);
  // One store per life: the crash-free run's, then the dead one's and the recovering one's.
  expect(figures.stores).toBeGreaterThanOrEqual(figures.scenarios + figures.crashPoints);
}, 180_000);
