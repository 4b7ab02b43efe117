// The import and fork checks on the Node server's store: a refused import leaves the SQLite file
// without the run, and a fork's export imports into another database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHost, ValidationError } from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";
import { ManualClock } from "runlog/testing";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../adapters/node/index.ts";
import {
  approvalExport,
  CountingExecutor,
  forgedPublish,
  T0,
  withoutRunStarted,
  withTimes,
} from "../support/import-cases.ts";

const dir = mkdtempSync(join(tmpdir(), "runlog-import-checks-"));
let files = 0;
const open = () => SqliteStore.open(join(dir, `i${files++}.db`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("import and fork checks on SQLite", () => {
  it("refuses forged, unstarted and implausibly timed logs, writing nothing and running nothing", async () => {
    const text = await approvalExport(open());
    const store = open();
    const executor = new CountingExecutor();
    const host = createHost({
      store,
      workflows: demoWorkflows,
      executor,
      clock: new ManualClock(T0 + 1_000),
    });
    const cases: [string, RegExp][] = [
      [await forgedPublish(text), /does not match workflow demo\.approval v1/],
      [await withoutRunStarted(text), /not RunStarted/],
      [await withTimes(text, (ts, i) => (i === 1 ? 1e300 : ts)), /seq 2: ts 1e\+300/],
    ];
    for (const [bad, why] of cases) {
      await expect(host.importRun(bad, { runId: "copy" })).rejects.toSatisfy(
        (e: unknown) => ValidationError.is(e) && why.test(e.message),
      );
    }
    expect(await store.head("copy")).toBe(0);
    expect(await store.getRun("copy")).toBeUndefined();
    await host.close();
    expect(executor.calls).toEqual([]);
    store.close();
  });

  it("a fork's export imports into another database and verifies", async () => {
    const source = open();
    const clock = new ManualClock(T0);
    const host = createHost({
      store: source,
      workflows: demoWorkflows,
      executor: demoExecutor(),
      clock,
    });
    await host.start("demo.approval", { text: "hi" }, { runId: "a", wait: true });
    await host.resume("a", { approved: false }, { wait: true });
    await expect(host.fork("a", await source.head("a"), { newRunId: "late" })).rejects.toSatisfy(
      ValidationError.is,
    );
    await host.fork("a", 4, { newRunId: "f", wait: true });
    const other = open();
    const second = createHost({ store: other, workflows: demoWorkflows, clock });
    await second.importRun(await host.exportRun("f"));
    expect(await second.verify("f")).toMatchObject({ ok: true });
    expect((await second.resume("f", { approved: true }, { wait: true })).output).toEqual({
      approved: true,
      text: "hi",
    });
    await host.close();
    await second.close();
    source.close();
    other.close();
  });
});
