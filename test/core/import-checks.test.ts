// What an import may bring into a host: only logs its workflow's code could have written, started
// once, with plausible times; a pending action passes this host's policy before it runs. Forks
// are held to the same rule, so a fork's export imports again.

import {
  AllowListPolicy,
  createHost,
  type Host,
  MemoryRunStore,
  type Policy,
  ValidationError,
} from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";
import { MAX_FUTURE_MS } from "runlog/store-kit";
import { ManualClock } from "runlog/testing";
import { describe, expect, it } from "vitest";
import {
  approvalExport,
  CountingExecutor,
  forgedPublish,
  pendingEchoExport,
  T0,
  withoutRunStarted,
  withTimes,
  withTwoRunStarted,
} from "../support/import-cases.ts";

function target(policy?: Policy) {
  const store = new MemoryRunStore();
  const executor = new CountingExecutor();
  const clock = new ManualClock(T0 + 1_000);
  const host = createHost({
    store,
    workflows: demoWorkflows,
    executor,
    clock,
    ...(policy ? { policy } : {}),
  });
  return { store, executor, host };
}

async function refused(host: Host, store: MemoryRunStore, text: string, why: RegExp) {
  await expect(host.importRun(text, { runId: "copy" })).rejects.toSatisfy(
    (e: unknown) => ValidationError.is(e) && why.test(e.message),
  );
  expect(await store.head("copy")).toBe(0);
  expect((await store.listRuns()).runs).toEqual([]);
}

describe("import: checked against the workflow's code before anything runs", () => {
  it("refuses a re-signed log with a pending tool call its workflow never asked for, running nothing", async () => {
    const forged = await forgedPublish(await approvalExport(new MemoryRunStore()));
    const { store, executor, host } = target();
    await refused(host, store, forged, /does not match workflow demo\.approval v1.*seq 2/);
    await host.close();
    expect(executor.calls).toEqual([]);
  });

  it("imports a log its workflow wrote and continues it", async () => {
    const { executor, host } = target();
    await host.importRun(await approvalExport(new MemoryRunStore()), { runId: "copy" });
    const done = await host.resume("copy", { approved: true }, { wait: true });
    expect(done).toMatchObject({ status: "completed", output: { approved: true, text: "hi" } });
    expect(executor.calls).toEqual([]);
    await host.close();
  });

  it("puts a pending tool call through this host's policy: a refused one is recorded as failed, never run", async () => {
    const text = await pendingEchoExport(new MemoryRunStore());
    const { store, executor, host } = target(new AllowListPolicy({ tools: [] }));
    const imported = await host.importRun(text, { runId: "copy" });
    await host.idle("copy");
    expect(executor.calls).toEqual([]);
    const events = await store.read("copy");
    expect(imported.head).toBe(events.length);
    expect(events.at(-1)?.event).toMatchObject({
      type: "ActionFailed",
      actionId: "src:2",
      error: { kind: "denied" },
    });
    expect((await host.get("copy")).status).toBe("failed");
    await host.close();
  });

  it("runs a pending tool call the policy allows, once", async () => {
    const text = await pendingEchoExport(new MemoryRunStore());
    const { executor, host } = target(new AllowListPolicy({ tools: ["echo"] }));
    await host.importRun(text, { runId: "copy" });
    await host.idle("copy");
    expect(executor.calls).toEqual(["echo"]);
    expect((await host.get("copy")).blocked?.interrupt).toBeDefined();
    await host.close();
  });

  it("refuses a run of a workflow this host does not have", async () => {
    const text = await approvalExport(new MemoryRunStore());
    const store = new MemoryRunStore();
    const host = createHost({ store, workflows: [demoWorkflows[1]], clock: new ManualClock(T0) });
    await refused(host, store, text, /demo\.approval v1, which this host does not have/);
  });
});

describe("import: the shape of the whole log", () => {
  it("refuses a log without RunStarted, or with two", async () => {
    const text = await approvalExport(new MemoryRunStore());
    const { store, host } = target();
    await refused(host, store, await withoutRunStarted(text), /first event is ActionRequested/);
    await refused(host, store, await withTwoRunStarted(text), /seq 2: RunStarted comes after/);
  });

  it("refuses implausible times: 1e300, negative, going back, far in the future", async () => {
    const text = await approvalExport(new MemoryRunStore());
    const { store, host } = target();
    const now = T0 + 1_000;
    await refused(
      host,
      store,
      await withTimes(text, (ts, i) => (i === 2 ? 1e300 : ts)),
      /ts 1e\+300/,
    );
    await refused(host, store, await withTimes(text, () => -5), /seq 1: ts -5 is not a time/);
    await refused(
      host,
      store,
      await withTimes(text, (ts, i) => (i === 3 ? ts - 120_000 : ts)),
      /seq 4: .* before the event before it/,
    );
    await refused(
      host,
      store,
      await withTimes(text, (ts) => ts + MAX_FUTURE_MS + 5_000),
      new RegExp(`more than a day after this host's clock \\(${now}\\)`),
    );
    // Within the bounds: a clock a little ahead of this host's is fine.
    await host.importRun(await withTimes(text, (ts) => ts + 60_000), { runId: "copy" });
    await host.close();
  });
});

describe("fork: held to the rule imports use", () => {
  it("refuses to fork at or after a run's end, and a plain fork's export imports again", async () => {
    const store = new MemoryRunStore();
    const host = createHost({
      store,
      workflows: demoWorkflows,
      executor: demoExecutor(),
      clock: new ManualClock(T0),
    });
    await host.start("demo.approval", { text: "hi" }, { runId: "a", wait: true });
    await host.resume("a", { approved: true }, { wait: true });
    const head = await store.head("a");
    await expect(host.fork("a", head, { newRunId: "late" })).rejects.toSatisfy(
      (e: unknown) =>
        ValidationError.is(e) && /a completed at seq \d+: nothing can follow/.test(e.message),
    );
    expect(await store.head("late")).toBe(0);
    const interrupted = (await store.read("a")).find((se) => se.event.type === "Interrupted");
    const forked = await host.fork("a", interrupted?.seq as number, { newRunId: "f", wait: true });
    expect(forked.blocked?.interrupt).toBeDefined();
    const { host: other } = target();
    await other.importRun(await host.exportRun("f"));
    expect(await other.verify("f")).toMatchObject({ ok: true });
    await host.close();
    await other.close();
  });

  it("refuses an alternate event that makes an impossible log, writing nothing", async () => {
    const store = new MemoryRunStore();
    const host = createHost({ store, workflows: demoWorkflows, clock: new ManualClock(T0) });
    await host.start("demo.signal", {}, { runId: "s", wait: true });
    await expect(
      host.fork("s", 1, { newRunId: "g", alternate: [{ type: "Resumed", value: true }] }),
    ).rejects.toSatisfy(
      (e: unknown) =>
        ValidationError.is(e) && /Resumed while no interrupt was pending/.test(e.message),
    );
    expect(await store.head("g")).toBe(0);
    await host.close();
  });
});
