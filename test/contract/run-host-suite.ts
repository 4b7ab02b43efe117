// The host contract: what every `RunHost` promises, whatever it runs on. One suite, run against
// the memory host, the Node host on SQLite, the browser host in Chromium and the Worker host in
// workerd. A host under test serves the demo workflows (demo.approval, demo.sleep, demo.signal)
// and the contract's own (contract-kit.ts: a tool held in flight until the test releases it).
import type { RunHost, RunInfo } from "runlog";
import { afterEach, describe, expect, it } from "vitest";
import { describeContractCases } from "./contract-cases.ts";
import { gates } from "./contract-kit.ts";
import { freshId, pause, type RunHostFixture, typesOf, within } from "./suite-kit.ts";

export type { RestartOptions, RunHostFixture } from "./suite-kit.ts";

export interface RunHostSuiteOptions {
  /** How long a condition may take before a test gives up. Generous: CI machines are loaded. */
  patienceMs?: number;
}

/** Registers the contract's tests for one kind of host. */
export function describeRunHost(
  name: string,
  make: () => Promise<RunHostFixture>,
  options: RunHostSuiteOptions = {},
): void {
  const patienceMs = options.patienceMs ?? 20_000;
  const timeout = patienceMs + 10_000;
  const open: RunHostFixture[] = [];

  const fixture = async (): Promise<RunHostFixture> => {
    const made = await make();
    open.push(made);
    return made;
  };

  async function until(
    host: RunHost,
    runId: string,
    done: (run: RunInfo) => boolean,
    what: string,
  ): Promise<RunInfo> {
    const deadline = Date.now() + patienceMs;
    let last: RunInfo | undefined;
    while (Date.now() < deadline) {
      last = await host.get(runId);
      if (done(last)) return last;
      await pause(20);
    }
    throw new Error(`run ${runId}: ${what} did not happen; last seen ${JSON.stringify(last)}`);
  }
  const blocked = (host: RunHost, runId: string) =>
    until(host, runId, (r) => r.status === "blocked", "blocking");
  const ended = (host: RunHost, runId: string) =>
    until(host, runId, (r) => r.status !== "running" && r.status !== "blocked", "ending");
  async function eventually<T>(
    what: string,
    probe: () => T | Promise<T>,
  ): Promise<Exclude<T, undefined | false>> {
    const deadline = Date.now() + patienceMs;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>;
      await pause(20);
    }
    throw new Error(`${what} did not happen within ${patienceMs} ms`);
  }

  describe(`run host contract: ${name}`, () => {
    afterEach(async () => {
      const fixtures = open.splice(0);
      // No host is left with a tool held at a gate: it could not close.
      for (const runId of gates.closedRuns()) {
        for (const f of fixtures) await within(f, runId, () => gates.open(runId));
      }
      await Promise.all(fixtures.map((f) => f.close()));
    }, timeout);

    it(
      "starts a run with RunStarted first and drives it until it waits for a human",
      async () => {
        const { host } = await fixture();
        const runId = freshId("start");
        const started = await host.start("demo.approval", { text: "hi" }, { runId });
        expect(started).toMatchObject({ runId, workflow: "demo.approval", existed: false });
        const run = await blocked(host, runId);
        expect(run.blocked?.interrupt?.value).toMatchObject({ draft: { text: "hi" } });
        const { events, head } = await host.events(runId);
        expect(head).toBe(events.length);
        expect(events[0]?.event).toEqual({
          type: "RunStarted",
          workflow: "demo.approval",
          input: { text: "hi" },
          version: 1,
          format: 1,
          flags: ["agent.canonicalToolText"],
        });
        expect(typesOf(events)).toEqual([
          "RunStarted",
          "ActionRequested",
          "ActionSucceeded",
          "Interrupted",
        ]);
      },
      timeout,
    );

    it(
      "answers a repeated start with the existing run and refuses the id for another workflow",
      async () => {
        const { host } = await fixture();
        const runId = freshId("again");
        await host.start("demo.signal", {}, { runId, wait: true });
        const again = await host.start("demo.signal", {}, { runId });
        expect(again).toMatchObject({ runId, existed: true });
        await expect(host.start("demo.sleep", { ms: 1 }, { runId })).rejects.toMatchObject({
          code: "conflict",
        });
        expect(
          (await host.events(runId)).events.filter((e) => e.event.type === "RunStarted"),
        ).toHaveLength(1);
      },
      timeout,
    );

    it(
      "refuses to resume a run that waits on no interrupt, appending nothing",
      async () => {
        const { host } = await fixture();
        const runId = freshId("notblocked");
        await host.start("demo.signal", {}, { runId, wait: true });
        await blocked(host, runId);
        const before = (await host.events(runId)).head;
        await expect(host.resume(runId, { approved: true })).rejects.toMatchObject({
          code: "not_blocked",
        });
        expect((await host.events(runId)).head).toBe(before);
      },
      timeout,
    );

    it(
      "resumes an interrupt once: of 10 concurrent answers one wins, the others are not_blocked",
      async () => {
        const { host } = await fixture();
        const runId = freshId("race");
        await host.start("demo.approval", { text: "race" }, { runId, wait: true });
        await blocked(host, runId);
        const answers = await Promise.allSettled(
          Array.from({ length: 10 }, () => host.resume(runId, { approved: true })),
        );
        const won = answers.filter((a) => a.status === "fulfilled");
        expect(won).toHaveLength(1);
        for (const lost of answers.filter((a) => a.status === "rejected")) {
          expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: "not_blocked" });
        }
        const run = await ended(host, runId);
        expect(run).toMatchObject({
          status: "completed",
          output: { approved: true, text: "race" },
        });
        const { events } = await host.events(runId);
        expect(typesOf(events).filter((t) => t === "Resumed")).toHaveLength(1);
      },
      timeout,
    );

    it(
      "keeps a signal that came early for the wait, and records one signal per signalId",
      async () => {
        const { host } = await fixture();
        const runId = freshId("signal");
        await host.start("demo.signal", { name: "later" }, { runId, wait: true });
        await blocked(host, runId);
        // Another name first: it waits in the log and does not wake the run.
        await host.signal(runId, "other", { n: 0 }, { signalId: "o-1" });
        expect((await host.get(runId)).status).toBe("blocked");
        await Promise.allSettled(
          Array.from({ length: 6 }, () =>
            host.signal(runId, "later", { n: 1 }, { signalId: "same-id" }),
          ),
        );
        const run = await ended(host, runId);
        expect(run).toMatchObject({ status: "completed", output: { n: 1 } });
        const { events } = await host.events(runId);
        const received = events.filter((e) => e.event.type === "SignalReceived");
        expect(received.map((e) => (e.event as { signalId: string }).signalId)).toEqual([
          "o-1",
          "same-id",
        ]);
      },
      timeout,
    );

    it(
      "cancels a waiting run, and refuses to cancel it again",
      async () => {
        const { host } = await fixture();
        const runId = freshId("cancel");
        await host.start("demo.signal", {}, { runId, wait: true });
        await blocked(host, runId);
        const cancelled = await host.cancel(runId, "no longer needed");
        expect(cancelled.status).toBe("cancelled");
        await expect(host.cancel(runId)).rejects.toMatchObject({ code: "conflict" });
        await expect(host.signal(runId, "go", 1, { signalId: "late" })).rejects.toBeTruthy();
        const { events } = await host.events(runId);
        expect(typesOf(events).at(-1)).toBe("Cancelled");
      },
      timeout,
    );

    it(
      "forks a run at its interrupt with another answer, and the fork continues on its own",
      async () => {
        const { host } = await fixture();
        const runId = freshId("fork-src");
        await host.start("demo.approval", { text: "fork" }, { runId, wait: true });
        await blocked(host, runId);
        const { events } = await host.events(runId);
        const interrupted = events.find((e) => e.event.type === "Interrupted");
        expect(interrupted).toBeDefined();
        const at = interrupted?.seq ?? 0;
        const interruptId = (interrupted?.event as { interruptId: string }).interruptId;
        const forkId = freshId("fork");
        await host.fork(runId, at, {
          newRunId: forkId,
          alternate: [{ type: "Resumed", interruptId, value: { approved: false } }],
        });
        const fork = await ended(host, forkId);
        expect(fork).toMatchObject({ status: "completed", output: { approved: false } });
        expect((await host.get(runId)).status).toBe("blocked");
      },
      timeout,
    );

    it(
      "watches a run: stored events, then live ones, with no gap or repeat, ending when it ends",
      async () => {
        const { host } = await fixture();
        const runId = freshId("watch");
        await host.start("demo.approval", { text: "watch" }, { runId, wait: true });
        await blocked(host, runId);
        const seen: number[] = [];
        const watching = (async () => {
          for await (const se of host.watch(runId)) seen.push(se.seq);
        })();
        await pause(50);
        await host.resume(runId, { approved: true });
        await ended(host, runId);
        await Promise.race([
          watching,
          pause(patienceMs).then(() => {
            throw new Error("watch did not end after the run ended");
          }),
        ]);
        const { head } = await host.events(runId);
        expect(seen).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      },
      timeout,
    );

    it(
      "exports a run and imports it under another id with the same verified hash",
      async () => {
        const { host } = await fixture();
        const runId = freshId("export");
        await host.start("demo.approval", { text: "carry" }, { runId, wait: true });
        await blocked(host, runId);
        const text = await host.exportRun(runId);
        const copyId = freshId("import");
        const imported = await host.importRun(text, { runId: copyId });
        expect(imported.runId).toBe(copyId);
        const [original, copy] = await Promise.all([host.verify(runId), host.verify(copyId)]);
        expect(original.ok).toBe(true);
        expect(copy.ok).toBe(true);
        expect(copy.hash).toBe(original.hash);
        await blocked(host, copyId);
        await host.resume(copyId, { approved: true });
        expect(await ended(host, copyId)).toMatchObject({ status: "completed" });
      },
      timeout,
    );

    it(
      "wakes a durable sleep at its time, not before",
      async () => {
        const { host } = await fixture();
        const runId = freshId("sleep");
        const started = Date.now();
        await host.start("demo.sleep", { ms: 200 }, { runId });
        const run = await ended(host, runId);
        expect(run).toMatchObject({ status: "completed", output: { sleptMs: 200 } });
        expect(Date.now() - started).toBeGreaterThanOrEqual(200);
        const { events } = await host.events(runId);
        expect(typesOf(events)).toEqual([
          "RunStarted",
          "ActionRequested",
          "ActionSucceeded",
          "Completed",
        ]);
        expect((events[2]?.ts ?? 0) - (events[1]?.ts ?? 0)).toBeGreaterThanOrEqual(200);
      },
      timeout,
    );

    it(
      "lists the runs it holds, newest first",
      async () => {
        const { host } = await fixture();
        const ids = [freshId("list-a"), freshId("list-b")];
        for (const runId of ids) {
          await host.start("demo.signal", {}, { runId, wait: true });
          await pause(5);
        }
        for (const runId of ids) await blocked(host, runId);
        const deadline = Date.now() + patienceMs;
        let listed: string[] = [];
        while (Date.now() < deadline) {
          listed = (await host.list({ limit: 100 })).runs.map((r) => r.runId);
          if (ids.every((id) => listed.includes(id))) break;
          await pause(50);
        }
        const positions = ids.map((id) => listed.indexOf(id));
        expect(positions.every((p) => p >= 0)).toBe(true);
        expect(positions[1]).toBeLessThan(positions[0] ?? -1);
      },
      timeout,
    );

    it(
      "answers unknown runs with run_not_found",
      async () => {
        const { host } = await fixture();
        const runId = freshId("missing");
        await expect(host.get(runId)).rejects.toMatchObject({ code: "run_not_found" });
        await expect(host.resume(runId, true)).rejects.toMatchObject({ code: "run_not_found" });
      },
      timeout,
    );

    it(
      "after a restart, wakes a sleep left behind once and lets a waiting run be resumed",
      async (context) => {
        const made = await fixture();
        if (!made.restart) {
          context.skip();
          return;
        }
        const sleeper = freshId("restart-sleep");
        const waiter = freshId("restart-wait");
        await made.host.start("demo.sleep", { ms: 300 }, { runId: sleeper, wait: true });
        await made.host.start("demo.approval", { text: "later" }, { runId: waiter, wait: true });
        await blocked(made.host, waiter);
        const host = await made.restart([sleeper, waiter]);
        const slept = await ended(host, sleeper);
        expect(slept).toMatchObject({ status: "completed", output: { sleptMs: 300 } });
        const { events } = await host.events(sleeper);
        expect(typesOf(events).filter((t) => t === "ActionRequested")).toHaveLength(1);
        await host.resume(waiter, { approved: true });
        expect(await ended(host, waiter)).toMatchObject({
          status: "completed",
          output: { approved: true, text: "later" },
        });
      },
      timeout,
    );

    describeContractCases({ patienceMs, timeout, fixture, until, blocked, ended, eventually });
  });
}
