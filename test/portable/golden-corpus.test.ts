// The golden corpus (test/fixtures/golden/): runs recorded once by scripts/record-golden.ts and
// never regenerated. Every log must keep hashing to its pinned SHA-256, importing into a host that
// executes nothing, verifying against today's workflow code and replaying to its recorded end, in
// node, real Chromium and workerd. A change to the kernel, the event format or a workflow that
// breaks an old log fails here.

import {
  BehaviourFlag,
  defineWorkflow,
  next,
  parseExport,
  type SequencedEvent,
  workflow,
} from "runlog";
import { approvalDemo } from "runlog/demos";
import { canonicalJson, EVENT_TYPES, hashEvents } from "runlog/store-kit";
import { checkGoldenLog, GoldenLogError } from "runlog/testing";
import { describe, expect, it } from "vitest";
import agentBeforeFlags from "../fixtures/golden/agent-before-flags.ndjson?raw";
import agentFlagCanonical from "../fixtures/golden/agent-flag-canonical-tool-text.ndjson?raw";
import asyncEarlySignal from "../fixtures/golden/async-promise-all-early-signal.ndjson?raw";
import cancelAbortedTool from "../fixtures/golden/cancel-aborted-tool.ndjson?raw";
import defineWorkflowStep from "../fixtures/golden/define-workflow-step.ndjson?raw";
import demoAgentApproved from "../fixtures/golden/demo-agent-approved.ndjson?raw";
import demoApprovalApproved from "../fixtures/golden/demo-approval-approved.ndjson?raw";
import demoApprovalDenied from "../fixtures/golden/demo-approval-denied.ndjson?raw";
import demoSignalEarly from "../fixtures/golden/demo-signal-early.ndjson?raw";
import demoSleep from "../fixtures/golden/demo-sleep.ndjson?raw";
import failedPermanent from "../fixtures/golden/failed-permanent.ndjson?raw";
import forkApprovalDenied from "../fixtures/golden/fork-approval-denied.ndjson?raw";
import format1DemoApproval from "../fixtures/golden/format-1-demo-approval.ndjson?raw";
import generatorParallelRandom from "../fixtures/golden/generator-parallel-random.ndjson?raw";
import manifestText from "../fixtures/golden/manifest.json?raw";
import retryAttempts from "../fixtures/golden/retry-attempts.ndjson?raw";
import { lastToolText } from "../support/agent-tool-text.ts";
import { type GoldenEntry, goldenWorkflows } from "../support/golden-workflows.ts";

type Entry = GoldenEntry;

const manifest = JSON.parse(manifestText) as Record<string, Entry>;

const logs: Record<string, string> = {
  "agent-before-flags.ndjson": agentBeforeFlags,
  "agent-flag-canonical-tool-text.ndjson": agentFlagCanonical,
  "async-promise-all-early-signal.ndjson": asyncEarlySignal,
  "cancel-aborted-tool.ndjson": cancelAbortedTool,
  "define-workflow-step.ndjson": defineWorkflowStep,
  "demo-agent-approved.ndjson": demoAgentApproved,
  "demo-approval-approved.ndjson": demoApprovalApproved,
  "demo-approval-denied.ndjson": demoApprovalDenied,
  "demo-signal-early.ndjson": demoSignalEarly,
  "demo-sleep.ndjson": demoSleep,
  "failed-permanent.ndjson": failedPermanent,
  "fork-approval-denied.ndjson": forkApprovalDenied,
  "format-1-demo-approval.ndjson": format1DemoApproval,
  "generator-parallel-random.ndjson": generatorParallelRandom,
  "retry-attempts.ndjson": retryAttempts,
};

const entries = Object.values(manifest);

async function eventsOf(file: string): Promise<SequencedEvent[]> {
  return (await parseExport(logs[file] as string)).events;
}

describe("the golden corpus", () => {
  it("has one log for every manifest entry and one entry for every log", () => {
    expect(Object.keys(logs).sort()).toEqual(Object.keys(manifest).sort());
    expect(entries.length).toBeGreaterThanOrEqual(13);
  });

  it("holds logs written before the event format was recorded, and logs of format 1", async () => {
    const formats = new Set<unknown>();
    for (const file of Object.keys(logs)) {
      const first = (await eventsOf(file))[0]?.event as { format?: number };
      formats.add(first.format);
    }
    expect([...formats].sort()).toEqual([1, undefined]);
  });

  it("holds an agent run started before behaviour flags and one started with them, each with its own tool text", async () => {
    const toolText = async (file: string) => {
      const events = await eventsOf(file);
      const started = events[0]?.event as { flags?: string[] };
      return { flags: started.flags, content: lastToolText(events) };
    };
    const output = { byHour: { "9": 4, "10": 7, "14": 2 }, team: "ops" };
    // The two texts differ: JavaScript puts "9" before "10", canonical JSON after "14".
    expect(JSON.stringify(output)).not.toBe(canonicalJson(output));
    expect(await toolText("agent-before-flags.ndjson")).toEqual({
      flags: undefined,
      content: JSON.stringify(output),
    });
    expect(await toolText("agent-flag-canonical-tool-text.ndjson")).toEqual({
      flags: [BehaviourFlag.AgentCanonicalToolText],
      content: canonicalJson(output),
    });
  });

  it.each(entries.map((e) => [e.file, e] as const))(
    "%s hashes to its pinned SHA-256, imports with nothing executed, verifies and replays to its end",
    async (file, entry) => {
      const text = logs[file] as string;
      const { header, events } = await parseExport(text);
      expect(header).toMatchObject({ runId: entry.runId, head: entry.head, hash: entry.hash });
      expect(await hashEvents(events)).toBe(entry.hash);
      expect(events[0]?.event).toMatchObject({ type: "RunStarted", workflow: entry.workflow });

      const result = await checkGoldenLog(text, { workflows: goldenWorkflows, hash: entry.hash });
      expect(result).toMatchObject({ runId: entry.runId, head: entry.head, hash: entry.hash });
      expect(result.report).toMatchObject({ ok: true, head: entry.head, hash: entry.hash });
      expect(result.report.decisions).toBeGreaterThan(0);
      expect(result.report.status.type).toBe(entry.status);
      if (entry.status === "completed") {
        expect(result.report.status).toEqual({ type: "completed", output: entry.output });
      }
    },
  );

  it("holds every event type, parallel requests in one commit, retries and a cancelled tool", async () => {
    const seen = new Set<string>();
    for (const file of Object.keys(logs)) {
      for (const se of await eventsOf(file)) seen.add(se.event.type);
    }
    expect([...seen].sort()).toEqual([...EVENT_TYPES].sort());

    // ctx.all: two ActionRequested committed together (one ts, next to each other).
    const parallel = await eventsOf("generator-parallel-random.ndjson");
    const pairs = parallel.filter(
      (se, i) =>
        se.event.type === "ActionRequested" &&
        parallel[i + 1]?.event.type === "ActionRequested" &&
        parallel[i + 1]?.ts === se.ts,
    );
    expect(pairs).toHaveLength(1);
    // Promise.all in an async workflow does the same.
    const promiseAll = await eventsOf("async-promise-all-early-signal.ndjson");
    expect(promiseAll.slice(1, 3).map((se) => se.event.type)).toEqual([
      "ActionRequested",
      "ActionRequested",
    ]);

    const retries = (await eventsOf("retry-attempts.ndjson")).map((se) => se.event.type);
    expect(retries.filter((t) => t === "ActionAttemptFailed")).toHaveLength(2);
    expect(retries.filter((t) => t === "ActionRequested")).toHaveLength(1);

    const cancelled = await eventsOf("cancel-aborted-tool.ndjson");
    expect(cancelled.map((se) => se.event)).toContainEqual(
      expect.objectContaining({
        type: "ActionFailed",
        error: expect.objectContaining({ kind: "cancelled" }),
      }),
    );

    // The early signal is in the log before the run asks for it.
    const early = (await eventsOf("demo-signal-early.ndjson")).map((se) => se.event.type);
    expect(early.indexOf("SignalReceived")).toBeLessThan(early.indexOf("ActionRequested"));
  });
});

describe("a change that breaks an old log fails the corpus", () => {
  const without = (name: string) => goldenWorkflows.filter((w) => w.name !== name);

  it("a generator workflow that asks for another tool input", async () => {
    const changed = workflow(
      "golden.generator",
      1,
      function* changed(ctx, input: { items: string[] }) {
        const pick = Math.floor(ctx.random() * 1000);
        yield* ctx.record("plan", { items: input.items, pick });
        const first = yield* ctx.tool<{ upper: string }>("upper", { text: "changed" });
        return { first: first.upper };
      },
    );
    const entry = manifest["generator-parallel-random.ndjson"] as Entry;
    await expect(
      checkGoldenLog(generatorParallelRandom, {
        workflows: [...without("golden.generator"), changed],
        hash: entry.hash,
      }),
    ).rejects.toSatisfy((e: unknown) => e instanceof GoldenLogError);
  });

  it("a demo workflow whose question to the human changed", async () => {
    const changed = workflow("demo.approval", 1, function* changed(ctx, input: { text: string }) {
      const draft = yield* ctx.tool("echo", { text: input.text });
      const answer = yield* ctx.interrupt({ question: `Really publish "${input.text}"?`, draft });
      return { approved: (answer as { approved?: boolean }).approved === true, text: input.text };
    });
    expect(approvalDemo.name).toBe("demo.approval");
    await expect(
      checkGoldenLog(demoApprovalDenied, {
        workflows: [...without("demo.approval"), changed],
      }),
    ).rejects.toSatisfy((e: unknown) => e instanceof GoldenLogError);
  });

  it("a step function that records its note under another step id", async () => {
    const changed = defineWorkflow<{ text: string }, { stage: string }>({
      name: "golden.step",
      init: () => ({ stage: "start" }),
      step: (state) =>
        state.stage === "start"
          ? next.emit({ type: "StateUpdated", stepId: "renamed", payload: { stage: "noted" } })
          : { type: "complete" },
      reduce: (state, se) => (se.event.type === "StateUpdated" ? { stage: "noted" } : state),
    });
    await expect(
      checkGoldenLog(defineWorkflowStep, {
        workflows: [...without("golden.step"), changed],
      }),
    ).rejects.toSatisfy((e: unknown) => e instanceof GoldenLogError);
  });

  it("a workflow that is no longer registered at the log's version", async () => {
    await expect(
      checkGoldenLog(retryAttempts, { workflows: without("golden.retry") }),
    ).rejects.toSatisfy((e: unknown) => e instanceof GoldenLogError);
  });

  it("an agent run started before the flag, read as if it had the flag (canonical tool text)", async () => {
    const { header, events } = await parseExport(agentBeforeFlags);
    const flagged = events.map((se, i) =>
      i === 0
        ? { ...se, event: { ...se.event, flags: [BehaviourFlag.AgentCanonicalToolText] } }
        : se,
    ) as SequencedEvent[];
    const hash = await hashEvents(flagged);
    const text = `${[canonicalJson({ ...header, hash }), ...flagged.map((se) => canonicalJson(se))].join("\n")}\n`;
    await expect(checkGoldenLog(text, { workflows: goldenWorkflows })).rejects.toSatisfy(
      (e: unknown) => e instanceof GoldenLogError && /nondeterminism at seq 6/.test(e.message),
    );
  });

  it("a log whose hash is not the pinned one", async () => {
    const entry = manifest["demo-sleep.ndjson"] as Entry;
    await expect(
      checkGoldenLog(demoSleep, {
        workflows: goldenWorkflows,
        hash: entry.hash.replace(/^./, "0"),
      }),
    ).rejects.toSatisfy((e: unknown) => e instanceof GoldenLogError);
  });
});
