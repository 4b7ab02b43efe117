import type { ActionExecutor } from "../actions.ts";
import { agentWorkflow } from "../agent/agent-workflow.ts";
import type { Json } from "../json.ts";
import { demoAgentScript } from "../llm/demo-agent-script.ts";
import type { LlmProvider } from "../llm/llm-types.ts";
import { createScriptedProvider } from "../llm/scripted-provider.ts";
import { createExecutor } from "../tools/create-executor.ts";
import { s } from "../tools/schema.ts";
import { workflow } from "../workflow/straight-line.ts";
import { demoTools } from "./demo-tools.ts";

/** `demo.approval {text}`: echo the text, ask a human, complete with `{approved, text}`. */
export const approvalDemo = workflow<{ text: string }, { approved: boolean; text: string }>(
  "demo.approval",
  1,
  function* approval(ctx, input) {
    const draft = yield* ctx.tool<{ text: string }>("echo", { text: input.text });
    const answer = yield* ctx.interrupt({ question: `Publish "${input.text}"?`, draft });
    const approved =
      typeof answer === "boolean"
        ? answer
        : (answer as { approved?: unknown } | null)?.approved === true;
    return { approved, text: input.text };
  },
  {
    description: "Echoes a text, then waits for a human to approve or deny it.",
    input: s.object({ text: s.string({ max: 100_000 }) }),
  },
);

/** `demo.sleep {ms}`: a durable sleep, then `{sleptMs}`. */
export const sleepDemo = workflow<{ ms: number }, { sleptMs: number }>(
  "demo.sleep",
  1,
  function* sleep(ctx, input) {
    yield* ctx.sleep(input.ms);
    return { sleptMs: input.ms };
  },
  {
    description: "Sleeps durably for ms milliseconds, then completes.",
    input: s.object({ ms: s.number({ min: 0, max: 365 * 24 * 3600 * 1000, int: true }) }),
  },
);

/** `demo.signal {name?}`: wait for signal `name` (default `go`), complete with its value. */
export const signalDemo = workflow<{ name?: string | undefined }, Json>(
  "demo.signal",
  1,
  function* signal(ctx, input) {
    return yield* ctx.waitSignal(input.name ?? "go");
  },
  {
    description: "Waits for a named signal (default go) and completes with its value.",
    input: s.object({ name: s.optional(s.string({ min: 1, max: 100 })) }),
  },
);

/** `demo.agent {task}`: the scripted LLM searches, asks to publish (approval), then answers. */
export const agentDemo = agentWorkflow({
  name: "demo.agent",
  description: "An LLM and tools loop: search, then publish after a human approves.",
  tools: demoTools(),
  provider: "scripted",
  system: "You are a careful assistant. Use tools; ask before publishing.",
  budget: { maxSteps: 20, maxToolCalls: 10, maxLlmTokens: 50_000 },
});

/** The four demo workflows. */
export const demoWorkflows = [approvalDemo, sleepDemo, signalDemo, agentDemo] as const;

/** The scripted provider the demo agent talks to. */
export function demoProvider(): LlmProvider {
  return createScriptedProvider({ name: "scripted", script: demoAgentScript });
}

/** An executor with the demo tools and the scripted provider, plus any extra providers. */
export function demoExecutor(extra: LlmProvider[] = []): ActionExecutor {
  return createExecutor({ tools: demoTools(), providers: [demoProvider(), ...extra] });
}
