// The workflows behind the golden corpus (test/fixtures/golden/). They are part of the
// determinism contract: every log in the corpus must keep importing, replaying and verifying
// against them, so a change here (or in a demo workflow) that decides differently on an old log
// fails the corpus test. Add a new version instead of changing an old one.
import {
  agentWorkflow,
  defineTool,
  defineWorkflow,
  type Json,
  type LlmProvider,
  next,
  type RunInfo,
  s,
  ToolRegistry,
  type Workflow,
  workflow,
} from "runlog";
import { agentDemo, approvalDemo, signalDemo, sleepDemo } from "runlog/demos";
import { createScriptedProvider } from "runlog/testing";

/** Generator style: a recorded random draw, a recorded value, one tool call, then two at once. */
export const generatorGolden = workflow<{ items: string[] }, Json>(
  "golden.generator",
  1,
  function* generatorGolden(ctx, input) {
    const pick = Math.floor(ctx.random() * 1000);
    yield* ctx.record("plan", { items: input.items, pick });
    const first = yield* ctx.tool<{ upper: string }>("upper", { text: input.items[0] ?? "" });
    const [a, b] = yield* ctx.all([
      ctx.tool<{ upper: string }>("upper", { text: input.items[1] ?? "" }),
      ctx.tool<{ upper: string }>("upper", { text: input.items[2] ?? "" }),
    ]);
    return { pick, upper: [first.upper, a.upper, b.upper], at: ctx.now() };
  },
);

/**
 * Async style: a tool and an LLM call at once (`Promise.all`), a human's answer, then a signal
 * that was sent while the run waited on the human (an early signal, held in the log).
 */
export const asyncGolden = workflow<{ topic: string }, Json>(
  "golden.async",
  1,
  async function asyncGolden(ctx, input) {
    const [found, reply] = await Promise.all([
      ctx.tool<{ hits: number }>("search", { q: input.topic }),
      ctx.llm({ messages: [{ role: "user", content: `Summarise ${input.topic}` }] }),
    ]);
    const answer = await ctx.interrupt<{ ok: boolean }>({ question: "Go on?", hits: found.hits });
    const go = await ctx.waitSignal("go");
    return { hits: found.hits, summary: reply.message.content, ok: answer.ok, go };
  },
);

/** Retries: a flaky tool fails twice (ActionAttemptFailed) and then succeeds. */
export const retryGolden = workflow<{ n: number }, Json>(
  "golden.retry",
  1,
  function* retryGolden(ctx, input) {
    const out = yield* ctx.tool<{ n: number }>("flaky", { n: input.n });
    return { n: out.n };
  },
);

/** Cancellation: a tool that runs until the run is cancelled (ActionFailed, kind cancelled). */
export const cancelGolden = workflow<{ job: string }, Json>(
  "golden.cancel",
  1,
  function* cancelGolden(ctx, input) {
    yield* ctx.record("started", { job: input.job });
    return yield* ctx.tool("hang", { job: input.job });
  },
);

/** A failed run: a tool that fails permanently, with nothing to catch it. */
export const failGolden = workflow<{ reason: string }, Json>(
  "golden.fail",
  1,
  function* failGolden(ctx, input) {
    return yield* ctx.tool("refuse", { reason: input.reason });
  },
);

interface StepState {
  text: string;
  stage: "start" | "noted" | "called";
  result?: Json;
}

/** `defineWorkflow` style: a hand-written step function and reducer. */
export const stepGolden = defineWorkflow<{ text: string }, StepState>({
  name: "golden.step",
  version: 1,
  init: (input) => ({ text: input.text, stage: "start" }),
  step: (state) => {
    if (state.stage === "start") {
      return next.emit({ type: "StateUpdated", stepId: "note", payload: { stage: "noted" } });
    }
    if (state.stage === "noted") {
      return next.do({ type: "callTool", tool: "upper", input: { text: state.text } });
    }
    return { type: "complete", output: { result: state.result ?? null } };
  },
  reduce: (state, se) => {
    const e = se.event;
    if (e.type === "StateUpdated") return { ...state, stage: "noted" };
    if (e.type === "ActionSucceeded") return { ...state, stage: "called", result: e.output };
    return state;
  },
});

/**
 * `busyHours {team}` → requests per hour of the day. Its hours are keys that look like numbers,
 * which JavaScript orders numerically ("9" before "10") and canonical JSON by text ("10" before
 * "9"): the tool text an agent hands its LLM differs between the two even after an export.
 */
export const busyHoursTool = defineTool({
  name: "busyHours",
  description: "Counts a team's requests per hour of the day.",
  input: s.object({ team: s.string({ min: 1, max: 100 }) }),
  handler: ({ team }): Json => ({ byHour: { "9": 4, "10": 7, "14": 2 }, team }),
});

/** The scripted model of `golden.agent`: asks for the busy hours, then answers. */
export function goldenAgentProvider(): LlmProvider {
  return createScriptedProvider({
    name: "golden-llm",
    script: [
      { content: "Counting.", toolCalls: [{ name: "busyHours", arguments: { team: "ops" } }] },
      { content: "The busiest hour is 10:00." },
    ],
  });
}

/**
 * An agent whose tool output has number-like keys: its logs show which tool text the run was
 * recorded with (`BehaviourFlag.AgentCanonicalToolText`), the old `JSON.stringify` text for a run
 * started without the flag and canonical JSON for one started with it.
 */
export const agentGolden = agentWorkflow({
  name: "golden.agent",
  tools: new ToolRegistry([busyHoursTool] as never[]),
  provider: "golden-llm",
  system: "Answer from the tool's counts.",
});

/** Every workflow the corpus was recorded with. */
// biome-ignore lint/suspicious/noExplicitAny: workflows of every input and state type.
export const goldenWorkflows: readonly Workflow<any, any>[] = [
  approvalDemo,
  sleepDemo,
  signalDemo,
  agentDemo,
  generatorGolden,
  asyncGolden,
  retryGolden,
  cancelGolden,
  failGolden,
  stepGolden,
  agentGolden,
];

/** One log of the golden corpus as test/fixtures/golden/manifest.json pins it. */
export interface GoldenEntry {
  file: string;
  runId: string;
  workflow: string;
  hash: string;
  head: number;
  status: RunInfo["status"];
  output?: unknown;
  /** What the log shows, in a few words. */
  about: string;
}
