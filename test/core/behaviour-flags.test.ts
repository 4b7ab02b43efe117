// Behaviour flags: every new run records the flags it decides by in RunStarted; a run started
// without one (before the change it names) keeps deciding the old way, live, after a restart, in
// a fork and after an import; a flag this runlog does not know is refused on import.

import {
  BehaviourFlag,
  createExecutor,
  createHost,
  currentFlags,
  type Event,
  flagsOf,
  MemoryRunStore,
  ToolRegistry,
} from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";
import { ManualClock } from "runlog/testing";
import { describe, expect, it } from "vitest";
import { lastToolText } from "../support/agent-tool-text.ts";
import { agentGolden, busyHoursTool, goldenAgentProvider } from "../support/golden-workflows.ts";
import { approvalExport } from "../support/import-cases.ts";
import { resign } from "../support/ndjson-mutations.ts";
import { startUnflagged } from "../support/unflagged-start.ts";

const START = 1_767_225_600_000;
const OUTPUT = { byHour: { "9": 4, "10": 7, "14": 2 }, team: "ops" };
const OLD_TEXT = '{"byHour":{"9":4,"10":7,"14":2},"team":"ops"}';
const CANONICAL_TEXT = '{"byHour":{"10":7,"14":2,"9":4},"team":"ops"}';

function agentHost(store = new MemoryRunStore()) {
  return createHost({
    store,
    workflows: [agentGolden],
    executor: createExecutor({
      tools: new ToolRegistry([busyHoursTool] as never[]),
      providers: [goldenAgentProvider()],
    }),
    clock: new ManualClock(START),
  });
}

/** The tool text the run's last LLM request carried. */
async function toolText(host: ReturnType<typeof agentHost>, runId: string) {
  return lastToolText((await host.events(runId)).events);
}

describe("behaviour flags in RunStarted", () => {
  it("are recorded by every new run, and the export carries them", async () => {
    expect(currentFlags()).toEqual([BehaviourFlag.AgentCanonicalToolText]);
    const text = await approvalExport(new MemoryRunStore(), new ManualClock(START));
    const first = JSON.parse(text.split("\n")[1] as string);
    expect(first.event).toMatchObject({
      type: "RunStarted",
      format: 1,
      flags: ["agent.canonicalToolText"],
    });
  });

  it("are read from format for logs written before flags were recorded", () => {
    const started = (extra: object) =>
      ({ type: "RunStarted", workflow: "w", input: null, version: 1, ...extra }) as Extract<
        Event,
        { type: "RunStarted" }
      >;
    expect(flagsOf(started({}))).toEqual([]);
    // The release that first wrote format 1 already gave the agent canonical tool text.
    expect(flagsOf(started({ format: 1 }))).toEqual([BehaviourFlag.AgentCanonicalToolText]);
    expect(flagsOf(started({ format: 1, flags: [] }))).toEqual([]);
  });

  it("decide the agent's tool text: the old text without the flag, canonical JSON with it", async () => {
    expect(JSON.stringify(OUTPUT)).toBe(OLD_TEXT);
    const host = agentHost();
    await host.start("golden.agent", { task: "busy?" }, { runId: "new", wait: true });
    await startUnflagged(host, agentGolden, { task: "busy?" }, "old");
    expect(await toolText(host, "new")).toBe(CANONICAL_TEXT);
    expect(await toolText(host, "old")).toBe(OLD_TEXT);
    for (const runId of ["new", "old"]) {
      expect(await host.get(runId)).toMatchObject({ status: "completed" });
      expect((await host.verify(runId)).ok).toBe(true);
    }
    await host.close();
  });

  it("stay with the run: a new host on the same store, a fork and an import keep the old text", async () => {
    const store = new MemoryRunStore();
    const first = agentHost(store);
    // The fork copies up to the tool's outcome: the decision that writes the tool text is the
    // forked run's own.
    await startUnflagged(first, agentGolden, { task: "busy?" }, "old");
    const { events } = await first.events("old");
    const toolRequest = events.find(
      (se) => se.event.type === "ActionRequested" && se.event.action.type === "callTool",
    );
    await first.close();

    const second = agentHost(store);
    expect((await second.verify("old")).ok).toBe(true);
    await second.fork("old", (toolRequest?.seq ?? 0) + 1, { newRunId: "forked", wait: true });
    expect((await second.events("forked")).events[0]?.event).not.toHaveProperty("flags");
    expect(await toolText(second, "forked")).toBe(OLD_TEXT);
    expect((await second.verify("forked")).ok).toBe(true);

    const exported = await second.exportRun("old");
    const third = agentHost();
    const { runId } = await third.importRun(exported, { runId: "imported" });
    await third.idle(runId);
    expect((await third.verify(runId)).ok).toBe(true);
    expect(await toolText(third, runId)).toBe(OLD_TEXT);
    await Promise.all([second.close(), third.close()]);
  });

  it.each([
    [
      ["agent.newerThing"],
      /RunStarted\.flags holds "agent\.newerThing", a behaviour this runlog does not know .*upgrade runlog/,
    ],
    [
      ["agent.canonicalToolText", "agent.canonicalToolText"],
      /RunStarted\.flags holds "agent\.canonicalToolText" twice/,
    ],
    ["agent.canonicalToolText", /RunStarted\.flags must be a list of flag names/],
    [[""], /RunStarted\.flags must be a list of flag names/],
    [[1], /RunStarted\.flags must be a list of flag names/],
  ])("refuses flags %j on import, writing nothing", async (flags, message) => {
    const text = await resign(
      await approvalExport(new MemoryRunStore(), new ManualClock(START)),
      (events) =>
        events.map((e, i) => (i === 0 ? { ...e, event: { ...(e.event as object), flags } } : e)),
    );
    const store = new MemoryRunStore();
    const host = createHost({ store, workflows: demoWorkflows });
    await expect(host.importRun(text)).rejects.toThrow(message);
    expect(await store.head("src")).toBe(0);
    await host.close();
  });

  it("restore an agent run from its log, not from a snapshot taken before the state held flags", async () => {
    // A format-1 run of the release before flags, blocked on its approval, with the snapshot
    // that release wrote: state version 1, no flags in the state.
    const store = new MemoryRunStore();
    const before = createHost({ store, workflows: demoWorkflows, executor: demoExecutor() });
    await before.start("demo.agent", { task: "timers" }, { runId: "a", wait: true });
    await before.close();
    const [started] = await store.read("a", 1, 1);
    if (started?.event.type !== "RunStarted") throw new Error("no RunStarted");
    delete started.event.flags;
    expect(flagsOf(started.event)).toEqual([BehaviourFlag.AgentCanonicalToolText]);
    const snapshot = await store.loadLatest("a");
    if (!snapshot) throw new Error("no snapshot at the interrupt");
    const { flags: _dropped, ...oldState } = snapshot.state as { flags?: string[] };
    await store.save({ ...snapshot, state: oldState, stateVersion: 1 });

    const after = createHost({ store, workflows: demoWorkflows, executor: demoExecutor() });
    await after.resume("a", { approved: true });
    await after.idle("a");
    expect(await after.get("a")).toMatchObject({ status: "completed" });
    // publish answers {published, id, title}: canonical JSON sorts id first.
    expect(lastToolText((await after.events("a")).events, "publish")).toMatch(/^\{"id":/);
    expect((await after.verify("a")).ok).toBe(true);
    await after.close();
  });
});
