// Exports and forged exports for the import checks, shared by the memory and SQLite suites.
import { type ActionExecutor, type ActionResult, createHost } from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";
import type { HostStore } from "runlog/store-kit";
import { ManualClock } from "runlog/testing";
import { resign } from "./ndjson-mutations.ts";

export const T0 = 1_800_000_000_000;

/** An executor that records what it is asked to run, then runs the demo tools. */
export class CountingExecutor implements ActionExecutor {
  readonly calls: string[] = [];
  readonly #inner = demoExecutor();
  execute(...args: Parameters<ActionExecutor["execute"]>): ActionResult | Promise<ActionResult> {
    const [, action] = args;
    this.calls.push(action.type === "callTool" ? action.tool : action.type);
    return this.#inner.execute(...args);
  }
}

/** The export of a `demo.approval` run blocked on its interrupt (echo done). */
export async function approvalExport(store: HostStore, clock = new ManualClock(T0)) {
  const host = createHost({ store, workflows: demoWorkflows, executor: demoExecutor(), clock });
  await host.start("demo.approval", { text: "hi" }, { runId: "src", wait: true });
  const text = await host.exportRun("src");
  await host.close();
  return text;
}

/** The export of a `demo.approval` run whose echo was requested and never answered. */
export async function pendingEchoExport(store: HostStore, clock = new ManualClock(T0)) {
  const executor: ActionExecutor = { execute: () => new Promise<ActionResult>(() => {}) };
  const host = createHost({ store, workflows: demoWorkflows, executor, clock });
  await host.start("demo.approval", { text: "hi" }, { runId: "src" });
  while ((await store.head("src")) < 2) await new Promise((r) => setTimeout(r, 1));
  return host.exportRun("src");
}

/** Re-signed: the run started, then at once a pending `publish` its workflow never asked for. */
export function forgedPublish(text: string): Promise<string> {
  return resign(text, (events) => [
    events[0],
    {
      seq: 2,
      ts: events[0]?.ts,
      event: {
        type: "ActionRequested",
        actionId: "src:2",
        action: { type: "callTool", tool: "publish", input: { title: "t", body: "b" } },
      },
    },
  ]);
}

/** Re-signed with each event's `ts` replaced. */
export function withTimes(text: string, times: (ts: number, i: number) => number): Promise<string> {
  return resign(text, (events) => events.map((e, i) => ({ ...e, ts: times(e.ts as number, i) })));
}

/** Re-signed without its `RunStarted` (the rest renumbered), or with it twice. */
export function withoutRunStarted(text: string): Promise<string> {
  return resign(text, (events) => events.slice(1).map((e, i) => ({ ...e, seq: i + 1 })));
}
export function withTwoRunStarted(text: string): Promise<string> {
  return resign(text, (events) => [events[0], ...events].map((e, i) => ({ ...e, seq: i + 1 })));
}
