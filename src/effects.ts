import type { Json } from "./json.ts";

/** The side effects the kernel reports, as the seed names them. */
export type RuntimeEffect =
  | { type: "LLMCall"; provider: string; input: Json }
  | { type: "ToolCall"; tool: string; input: Json }
  | { type: "StateWrite"; stepId?: string; payload: Json }
  | { type: "InterruptRaise"; value: Json };

/** Sees every effect: a tracing or metrics hook. It must not throw. */
export interface EffectSink {
  record(runId: string, effect: RuntimeEffect): void;
}
