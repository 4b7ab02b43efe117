// Records the golden corpus: test/fixtures/golden/*.ndjson and manifest.json. Run once per new
// log with `npx tsx --conditions runlog-source scripts/record-golden.ts`. A log already in the
// corpus is never written again (the script refuses to overwrite it): the corpus is what old
// versions of runlog wrote, and new code must keep reading it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import {
  ActionError,
  type ActionExecutor,
  AllowAllPolicy,
  createExecutor,
  createHost,
  type Host,
  MemoryRunStore,
  RetryWithBackoffPolicy,
  type SequencedEvent,
  ToolRegistry,
} from "runlog";
import { demoExecutor } from "runlog/demos";
import { ManualClock, manualWaker } from "runlog/testing";
import {
  agentGolden,
  busyHoursTool,
  type GoldenEntry,
  goldenAgentProvider,
  goldenWorkflows,
} from "../test/support/golden-workflows.ts";
import { startUnflagged } from "../test/support/unflagged-start.ts";

const dir = new URL("../test/fixtures/golden/", import.meta.url);
const manifestUrl = new URL("manifest.json", dir);

type Entry = GoldenEntry;

const START = 1_767_225_600_000; // 2026-01-01T00:00:00Z

/** The tools of the non-demo golden workflows, plus the demos' tools and scripted LLM. */
function goldenExecutor(clock: ManualClock): ActionExecutor {
  const demos = demoExecutor();
  const agent = createExecutor({
    tools: new ToolRegistry([busyHoursTool] as never[]),
    providers: [goldenAgentProvider()],
  });
  return {
    async execute(runId, action, ctx) {
      clock.advance(7);
      if (runId.startsWith("golden-agent-flags")) return agent.execute(runId, action, ctx);
      if (action.type === "callLLM" && runId.startsWith("golden-async")) {
        return {
          type: "success",
          output: {
            message: { role: "assistant", content: "A short summary.", toolCalls: [] },
            usage: { inputTokens: 12, outputTokens: 4 },
            finishReason: "stop",
          },
        };
      }
      if (action.type !== "callTool") return demos.execute(runId, action, ctx);
      const input = action.input as Record<string, unknown>;
      switch (action.tool) {
        case "upper":
          return { type: "success", output: { upper: String(input.text).toUpperCase() } };
        case "search":
          if (!runId.startsWith("golden-async")) return demos.execute(runId, action, ctx);
          return { type: "success", output: { hits: 3 } };
        case "flaky":
          if (ctx.attempt < 2) throw ActionError.transient(`flaky: attempt ${ctx.attempt} failed`);
          return { type: "success", output: { n: input.n as number } };
        case "refuse":
          return {
            type: "failure",
            error: { kind: "permanent", message: `refused: ${String(input.reason)}` },
          };
        case "hang":
          return new Promise((_resolve, reject) => {
            ctx.signal?.addEventListener("abort", () =>
              reject(new Error("hang: stopped by the run's cancellation")),
            );
          });
        default:
          return demos.execute(runId, action, ctx);
      }
    },
  };
}

/** A memory store that can hold back one commit until told, to order a race on purpose. */
class HoldingStore extends MemoryRunStore {
  #gate: { when: (events: readonly SequencedEvent[]) => boolean; open: Promise<void> } | undefined;

  hold(when: (events: readonly SequencedEvent[]) => boolean): () => void {
    let release = () => {};
    const open = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#gate = { when, open };
    return release;
  }

  override async append(
    runId: string,
    events: readonly SequencedEvent[],
    options: Parameters<MemoryRunStore["append"]>[2],
  ): Promise<void> {
    const gate = this.#gate;
    if (gate?.when(events)) {
      this.#gate = undefined;
      await gate.open;
    }
    return super.append(runId, events, options);
  }
}

type Recording = (
  host: Host,
  clock: ManualClock,
  store: HoldingStore,
  other: () => Host,
) => Promise<string>;

/** Each log: its file name, what it shows, and how to make it (answering its run id). */
const recordings: {
  file: string;
  about: string;
  record: Recording;
  accept?: (ndjson: string) => boolean;
}[] = [
  {
    file: "demo-approval-approved.ndjson",
    about: "demo.approval, approved by a human",
    record: async (host, clock) => {
      const runId = "golden-approval-yes";
      await host.start("demo.approval", { text: "Ship the notes" }, { runId, wait: true });
      clock.advance(60_000);
      await host.resume(runId, { approved: true });
      return runId;
    },
  },
  {
    file: "demo-approval-denied.ndjson",
    about: "demo.approval, denied by a human",
    record: async (host, clock) => {
      const runId = "golden-approval-no";
      await host.start("demo.approval", { text: "Delete prod" }, { runId, wait: true });
      clock.advance(30_000);
      await host.resume(runId, { approved: false });
      return runId;
    },
  },
  {
    file: "demo-sleep.ndjson",
    about: "demo.sleep, a durable sleep woken at its time",
    record: async (host, clock) => {
      const runId = "golden-sleep";
      await host.start("demo.sleep", { ms: 5_000 }, { runId, wait: true });
      clock.advance(5_000);
      await host.wake(runId);
      return runId;
    },
  },
  {
    file: "demo-signal-early.ndjson",
    about: "demo.signal, the signal sent before the run waits for it",
    // Two hosts on one store (two tabs on one database): the first starts the run and its first
    // commit is held back; the signal reaches the second before the run waits for it.
    accept: (text) => text.indexOf('"SignalReceived"') < text.indexOf('"waitSignal"'),
    record: async (host, _clock, store, other) => {
      const runId = "golden-signal-early";
      const release = store.hold((events) =>
        events.some((e) => e.event.type === "ActionRequested"),
      );
      await host.start("demo.signal", { name: "go" }, { runId });
      const second = other();
      await second.signal(runId, "go", { from: "early" }, { signalId: "sig-early", wait: true });
      await second.close();
      release();
      return runId;
    },
  },
  {
    file: "demo-agent-approved.ndjson",
    about: "demo.agent: LLM, search, an approval before publish, the final answer",
    record: async (host, clock) => {
      const runId = "golden-agent";
      await host.start("demo.agent", { task: "durable timers" }, { runId, wait: true });
      clock.advance(45_000);
      await host.resume(runId, { approved: true });
      return runId;
    },
  },
  {
    file: "generator-parallel-random.ndjson",
    about: "generator workflow: RandomDrawn, a recorded value, ctx.all (two requests, one commit)",
    record: async (host) => {
      const runId = "golden-generator";
      await host.start("golden.generator", { items: ["a", "b", "c"] }, { runId, wait: true });
      return runId;
    },
  },
  {
    file: "async-promise-all-early-signal.ndjson",
    about: "async workflow: Promise.all of a tool and an LLM, a human, a signal sent early",
    record: async (host, clock) => {
      const runId = "golden-async";
      await host.start("golden.async", { topic: "replay" }, { runId, wait: true });
      await host.signal(runId, "go", "now", { signalId: "sig-go" });
      clock.advance(10_000);
      await host.resume(runId, { ok: true });
      return runId;
    },
  },
  {
    file: "define-workflow-step.ndjson",
    about: "defineWorkflow: a hand-written step function and reducer",
    record: async (host) => {
      const runId = "golden-step";
      await host.start("golden.step", { text: "step" }, { runId, wait: true });
      return runId;
    },
  },
  {
    file: "retry-attempts.ndjson",
    about: "retries: two ActionAttemptFailed, then ActionSucceeded",
    record: async (host) => {
      const runId = "golden-retry";
      await host.start("golden.retry", { n: 42 }, { runId, wait: true });
      return runId;
    },
  },
  {
    file: "cancel-aborted-tool.ndjson",
    about: "a run cancelled while its tool runs: ActionFailed kind cancelled, then Cancelled",
    record: async (host, clock) => {
      const runId = "golden-cancel";
      await host.start("golden.cancel", { job: "long" }, { runId });
      // Wait until the tool is running, then cancel.
      for (let i = 0; i < 100; i++) {
        const { events } = await host.events(runId);
        if (events.some((e) => e.event.type === "ActionRequested")) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      clock.advance(2_000);
      await host.cancel(runId, "the operator stopped it");
      return runId;
    },
  },
  {
    file: "failed-permanent.ndjson",
    about: "a run failed by a tool's permanent failure",
    record: async (host) => {
      const runId = "golden-fail";
      await host.start("golden.fail", { reason: "no" }, { runId, wait: true });
      return runId;
    },
  },
  {
    file: "fork-approval-denied.ndjson",
    about: "a fork of an approval run at its interrupt, answered no (Forked)",
    record: async (host, clock) => {
      const source = "golden-fork-source";
      await host.start("demo.approval", { text: "Fork me" }, { runId: source, wait: true });
      const { events } = await host.events(source);
      const interrupted = events.find((e) => e.event.type === "Interrupted");
      if (interrupted?.event.type !== "Interrupted") throw new Error("no interrupt to fork at");
      clock.advance(1_000);
      const runId = "golden-fork";
      await host.fork(source, interrupted.seq, {
        newRunId: runId,
        alternate: [
          {
            type: "Resumed",
            interruptId: interrupted.event.interruptId,
            value: { approved: false },
          },
        ],
        wait: true,
      });
      return runId;
    },
  },
  {
    file: "format-1-demo-approval.ndjson",
    about: "demo.approval, approved, recorded with the event format (RunStarted.format 1)",
    record: async (host, clock) => {
      const runId = "golden-format-1";
      await host.start("demo.approval", { text: "Format one" }, { runId, wait: true });
      clock.advance(20_000);
      await host.resume(runId, { approved: true });
      return runId;
    },
  },
  {
    file: "agent-before-flags.ndjson",
    about:
      "an agent run started before behaviour flags (RunStarted without format or flags): tool output handed to the LLM as JSON.stringify text",
    // The point of the log: the tool text is the old one, which canonical JSON would not give.
    accept: (text) => text.includes('\\"byHour\\":{\\"9\\":4,\\"10\\":7'),
    record: async (host) => {
      const runId = "golden-agent-flags-none";
      await startUnflagged(host, agentGolden, { task: "When is ops busiest?" }, runId);
      return runId;
    },
  },
  {
    file: "agent-flag-canonical-tool-text.ndjson",
    about:
      "the same agent run started with the flag agent.canonicalToolText: tool output handed to the LLM as canonical JSON",
    accept: (text) =>
      text.includes('"flags":["agent.canonicalToolText"]') &&
      text.includes('\\"byHour\\":{\\"10\\":7,\\"14\\":2,\\"9\\":4'),
    record: async (host) => {
      const runId = "golden-agent-flags-canonical";
      await host.start("golden.agent", { task: "When is ops busiest?" }, { runId, wait: true });
      return runId;
    },
  },
];

mkdirSync(dir, { recursive: true });
const manifest: Record<string, Entry> = existsSync(manifestUrl)
  ? JSON.parse(readFileSync(manifestUrl, "utf8"))
  : {};

let added = 0;
for (const r of recordings) {
  const url = new URL(r.file, dir);
  if (existsSync(url) || manifest[r.file]) {
    console.error(`${r.file}: already in the corpus, not recorded again`);
    continue;
  }
  added += 1;
  for (let tries = 1; ; tries++) {
    if (await recordOne(r, url)) break;
    if (tries === 50) throw new Error(`${r.file}: no recording showed what it must`);
  }
}

async function recordOne(r: (typeof recordings)[number], url: URL): Promise<boolean> {
  const clock = new ManualClock(START);
  let draws = 0;
  const store = new HoldingStore();
  const options = () => ({
    store,
    workflows: goldenWorkflows,
    executor: goldenExecutor(clock),
    policy: new RetryWithBackoffPolicy(new AllowAllPolicy(), 3, 1, { jitter: 0 }),
    clock,
    random: { next: () => [0.4242, 0.1337, 0.9001][draws++ % 3] as number },
    scheduler: { sleep: async () => undefined },
    waker: manualWaker,
  });
  const host = createHost(options());
  try {
    const runId = await r.record(host, clock, store, () => createHost(options()));
    await host.idle(runId);
    const info = await host.get(runId);
    const text = await host.exportRun(runId);
    if (r.accept && !r.accept(text)) return false;
    const header = JSON.parse(text.slice(0, text.indexOf("\n"))) as { hash: string; head: number };
    writeFileSync(url, text, { flag: "wx" });
    manifest[r.file] = {
      file: r.file,
      runId,
      workflow: JSON.parse(text.split("\n")[1] as string).event.workflow,
      hash: header.hash,
      head: header.head,
      status: info.status,
      ...(info.output === undefined ? {} : { output: info.output }),
      about: r.about,
    };
    console.error(`${r.file}: ${info.status}, ${header.head} events, ${header.hash}`);
    return true;
  } finally {
    await host.close();
  }
}

// The manifest is written only when a log was added (then format it: `npx biome format --write`).
if (added > 0) {
  const sorted = Object.fromEntries(
    Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync(manifestUrl, `${JSON.stringify(sorted, null, 2)}\n`);
}
