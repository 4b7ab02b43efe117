// The host contract's cases that need a tool the test controls (contract-kit.ts): a cancel during
// a long action, parallel effects, a restart in the middle of an action, races of signals, and a
// run that keeps its workflow version across a deploy. Registered by `describeRunHost`.
import type { Event, RunHost, SequencedEvent } from "runlog";
import { expect, it } from "vitest";
import { type GateEntry, gates } from "./contract-kit.ts";
import { freshId, pause, type SuiteKit, typesOf, within } from "./suite-kit.ts";

/** The events about one action, in log order. */
const ofAction = (events: readonly SequencedEvent[], actionId: string): Event[] =>
  events
    .map((e) => e.event)
    .filter((e) => "actionId" in e && (e as { actionId?: unknown }).actionId === actionId);

/** The key of a `contract.gate` request. */
const keyOf = (event: Event): unknown =>
  event.type === "ActionRequested" && event.action.type === "callTool"
    ? (event.action.input as { key?: unknown }).key
    : undefined;

/** A while for a write that must not come (a late answer of a cancelled or abandoned tool). */
const LATE_WRITE_MS = 150;

export function describeContractCases(kit: SuiteKit): void {
  const { fixture, blocked, ended, eventually, timeout } = kit;

  /** The run's first `n` executions of the gate, once they have all begun. */
  const entered = (runId: string, n: number): Promise<GateEntry[]> =>
    eventually(`${n} execution(s) of the gate in run ${runId}`, () => {
      const entries = gates.entered(runId);
      return entries.length >= n ? entries : undefined;
    });

  const workflowVersions = (host: RunHost) =>
    host.workflows().find((w) => w.name === "contract.versioned");

  for (const onAbort of ["hold", "answer"] as const) {
    it(
      `cancels a run during a long action: the handler's signal aborts and the action ends cancelled, never succeeded (a tool that ${onAbort === "hold" ? "ignores the abort and answers later" : "answers at once when aborted"})`,
      async () => {
        const made = await fixture();
        const { host } = made;
        const runId = freshId(`cancel-${onAbort}`);
        await host.start("contract.one", { key: "long", onAbort }, { runId });
        const [begun] = await entered(runId, 1);
        const actionId = begun?.actionId ?? "";
        await host.cancel(runId, "no longer needed");
        expect(await ended(host, runId)).toMatchObject({ status: "cancelled" });
        await eventually(
          "the handler to see its signal abort",
          () => gates.entered(runId)[0]?.sawAbort,
        );

        const check = async (): Promise<number> => {
          const { events, head } = await host.events(runId);
          const mine = ofAction(events, actionId);
          expect(mine.map((e) => e.type)).toEqual(["ActionRequested", "ActionFailed"]);
          expect(mine[1]).toMatchObject({ error: { kind: "cancelled" } });
          expect(typesOf(events)).not.toContain("ActionSucceeded");
          expect(typesOf(events).filter((t) => t === "Cancelled")).toHaveLength(1);
          expect(typesOf(events).at(-1)).toBe("Cancelled");
          return head;
        };
        const head = await check();
        // Let the tool go: whatever it answers now comes after the cancel and is dropped.
        const released = await within(made, runId, () => gates.release(runId));
        expect(released).toBe(onAbort === "hold" ? 1 : 0);
        await eventually("the handler to answer", () => gates.entered(runId)[0]?.answered);
        await pause(LATE_WRITE_MS);
        expect(await check()).toBe(head);
        expect((await host.get(runId)).status).toBe("cancelled");
        expect(gates.entered(runId)).toHaveLength(1);
      },
      timeout,
    );
  }

  it(
    "cancels a run during three parallel actions: every handler's signal aborts, each action ends cancelled",
    async () => {
      const made = await fixture();
      const { host } = made;
      const runId = freshId("cancel-parallel");
      await host.start("contract.parallel-async", {}, { runId });
      const entries = await entered(runId, 3);
      await host.cancel(runId, "no longer needed");
      expect(await ended(host, runId)).toMatchObject({ status: "cancelled" });
      await eventually("every handler to see its signal abort", () =>
        gates.entered(runId).every((e) => e.sawAbort),
      );
      await eventually("every handler to answer", () =>
        gates.entered(runId).every((e) => e.answered),
      );
      await pause(LATE_WRITE_MS);
      const { events } = await host.events(runId);
      for (const { actionId } of entries) {
        const mine = ofAction(events, actionId);
        expect(mine.map((e) => e.type)).toEqual(["ActionRequested", "ActionFailed"]);
        expect(mine[1]).toMatchObject({ error: { kind: "cancelled" } });
      }
      expect(typesOf(events)).not.toContain("ActionSucceeded");
      expect(typesOf(events).at(-1)).toBe("Cancelled");
    },
    timeout,
  );

  for (const workflow of ["contract.parallel-async", "contract.parallel-generator"]) {
    it(
      `runs the three tool calls of ${workflow} at once, records each outcome as it comes, and answers in request order`,
      async () => {
        const made = await fixture();
        const { host } = made;
        const runId = freshId("parallel");
        await host.start(workflow, {}, { runId });
        const entries = await entered(runId, 3);
        // All three handlers are waiting at the gate at the same time: none has been let go.
        expect(gates.peak(runId)).toBe(3);
        expect(entries.map((e) => e.key).sort()).toEqual(["a", "b", "c"]);
        const actionIds = new Map(entries.map((e) => [e.key, e.actionId]));
        expect(new Set(actionIds.values()).size).toBe(3);
        const requested = (await host.events(runId)).events.filter(
          (e) => e.event.type === "ActionRequested",
        );
        expect(requested.map((e) => keyOf(e.event))).toEqual(["a", "b", "c"]);

        // Released in reverse order, each outcome recorded before the next tool is let go.
        for (const [i, key] of ["c", "b", "a"].entries()) {
          expect(await within(made, runId, () => gates.release(runId, key))).toBe(1);
          await eventually(`the outcome of ${key} to be recorded`, async () => {
            const { events } = await host.events(runId);
            return typesOf(events).filter((t) => t === "ActionSucceeded").length > i;
          });
        }
        const run = await ended(host, runId);
        expect(run).toMatchObject({
          status: "completed",
          output: ["a", "b", "c"].map((key) => ({
            key,
            actionId: actionIds.get(key),
            aborted: false,
          })),
        });
        const { events } = await host.events(runId);
        const succeeded = events
          .map((e) => e.event)
          .filter((e) => e.type === "ActionSucceeded")
          .map((e) => e.actionId);
        expect(succeeded).toEqual(["c", "b", "a"].map((key) => actionIds.get(key)));
        expect(gates.entered(runId)).toHaveLength(3);
        expect((await host.verify(runId)).ok).toBe(true);
      },
      timeout,
    );
  }

  it(
    "after a restart in the middle of an action, runs it again with the same actionId and records one outcome",
    async (context) => {
      const made = await fixture();
      if (!made.restart) {
        context.skip();
        return;
      }
      const runId = freshId("restart-action");
      await made.host.start("contract.one", { key: "held" }, { runId });
      const [first] = await entered(runId, 1);
      const host = await made.restart([runId]);
      const [, second] = await entered(runId, 2);
      expect(second?.actionId).toBe(first?.actionId);
      // The new host's execution answers; the stopped host's stays at the gate for now.
      expect(await within(made, runId, () => gates.releaseEntry(runId, 1))).toBe(1);
      expect(await ended(host, runId)).toMatchObject({
        status: "completed",
        output: { key: "held", actionId: first?.actionId, aborted: false },
      });

      const check = async (): Promise<number> => {
        const { events, head } = await host.events(runId);
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
        expect(ofAction(events, first?.actionId ?? "").map((e) => e.type)).toEqual([
          "ActionRequested",
          "ActionSucceeded",
        ]);
        expect(typesOf(events).at(-1)).toBe("Completed");
        return head;
      };
      const head = await check();
      // Where the stopped host still lives (in this process or page), its late answer is dropped.
      await within(made, runId, () => gates.release(runId));
      await pause(LATE_WRITE_MS);
      expect(await check()).toBe(head);
      expect((await host.verify(runId)).ok).toBe(true);
    },
    timeout,
  );

  it(
    "records 20 concurrent signals with distinct ids to one waiting run once each",
    async () => {
      const { host } = await fixture();
      const runId = freshId("signals");
      await host.start("contract.collect", { count: 20 }, { runId, wait: true });
      await blocked(host, runId);
      const sent = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          host.signal(runId, "item", { i }, { signalId: `s-${i}` }),
        ),
      );
      expect(sent.filter((s) => s.status === "rejected")).toEqual([]);
      const run = await ended(host, runId);
      expect(run.status).toBe("completed");
      const values = (run.output as { i: number }[]).map((v) => v.i).sort((a, b) => a - b);
      expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i));
      const { events } = await host.events(runId);
      const ids = events
        .map((e) => e.event)
        .filter((e) => e.type === "SignalReceived")
        .map((e) => e.signalId)
        .sort();
      expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `s-${i}`).sort());
    },
    timeout,
  );

  it(
    "records one signal id sent 5 times concurrently once",
    async () => {
      const { host } = await fixture();
      const runId = freshId("signal-dup");
      await host.start("contract.collect", { count: 2 }, { runId, wait: true });
      await blocked(host, runId);
      const sent = await Promise.allSettled(
        Array.from({ length: 5 }, () => host.signal(runId, "item", { n: 1 }, { signalId: "dup" })),
      );
      expect(sent.filter((s) => s.status === "rejected")).toEqual([]);
      // One of two signals came: the run still waits for the second.
      await blocked(host, runId);
      const received = async () =>
        (await host.events(runId)).events.filter((e) => e.event.type === "SignalReceived");
      expect(await received()).toHaveLength(1);
      await host.signal(runId, "item", { n: 2 }, { signalId: "other" });
      expect(await ended(host, runId)).toMatchObject({
        status: "completed",
        output: [{ n: 1 }, { n: 2 }],
      });
      expect(await received()).toHaveLength(2);
    },
    timeout,
  );

  it(
    "keeps a run on the workflow version it started with once the host also has v2, and starts new runs on v2",
    async (context) => {
      const made = await fixture();
      if (!made.restart) {
        context.skip();
        return;
      }
      const old = freshId("on-v1");
      await made.host.start("contract.versioned", {}, { runId: old, wait: true });
      await blocked(made.host, old);
      expect(workflowVersions(made.host)).toMatchObject({ version: 1, versions: [1] });

      const host = await made.restart([old], { upgrade: true });
      expect(workflowVersions(host)).toMatchObject({ version: 2, versions: [1, 2] });
      const fresh = freshId("on-v2");
      await host.start("contract.versioned", {}, { runId: fresh, wait: true });
      await blocked(host, fresh);
      const startedOn = async (runId: string) =>
        ((await host.events(runId, 1, 1)).events[0]?.event as { version?: number }).version;
      expect(await startedOn(old)).toBe(1);
      expect(await startedOn(fresh)).toBe(2);

      await host.signal(old, "go", "late", { signalId: "go-old" });
      await host.signal(fresh, "go", "new", { signalId: "go-new" });
      expect(await ended(host, old)).toMatchObject({
        status: "completed",
        output: { version: 1, value: "late" },
      });
      expect(await ended(host, fresh)).toMatchObject({
        status: "completed",
        output: { version: 2, value: "new" },
      });
      const [a, b] = await Promise.all([host.verify(old), host.verify(fresh)]);
      expect(a.ok).toBe(true);
      expect(b.ok).toBe(true);
    },
    timeout,
  );
}
