// Crash at every commit and every execute, on SQLite: each life opens its own connection to one
// WAL file, as a restarted process would, and recovery ends as the crash-free run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "runlog/node";
import type { HostStore } from "runlog/store-kit";
import { afterAll, expect, it } from "vitest";
import { checkCrashRecovery } from "../../support/crash-harness.ts";
import { crashSuiteOptions, propertyTimeout, report } from "./soak-config.ts";

const dir = mkdtempSync(join(tmpdir(), "runlog-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it(
  "recovers a generated workflow from a crash at every point to the crash-free outcome (SqliteStore, WAL file)",
  async () => {
    const path = join(dir, "crash.db");
    const options = crashSuiteOptions(40);
    console.log(`[crash-recovery] SqliteStore seed ${options.seed}`);
    const figures = await checkCrashRecovery(
      {
        name: "SqliteStore",
        connect: async () => SqliteStore.open(path),
        disconnect: (store: HostStore) => (store as SqliteStore).close(),
      },
      options,
    );
    report(figures);
    expect(figures.crashPoints).toBeGreaterThan(0);
  },
  propertyTimeout,
);
