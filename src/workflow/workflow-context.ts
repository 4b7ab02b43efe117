import type { OnFailure } from "../actions.ts";
import type { Json, JsonObject } from "../json.ts";
import type { LlmRequest, LlmResponse } from "../llm/llm-types.ts";
import { AllRequest, EffectRequest, type EffectSession } from "./effect-request.ts";

/** What straight-line workflow code gets: deterministic time and randomness, and its effects. */
export interface WorkflowContext<I = Json> {
  readonly runId: string;
  readonly input: I;
  /** The time the current segment of code runs at, from the log: the same on every replay. */
  now(): number;
  /** A float in [0, 1), recorded in the log. */
  random(): number;
  /**
   * True when the run decides by behaviour flag `flag` (`BehaviourFlag`): it was recorded in the
   * run's `RunStarted`. Code that changes how it decides checks its flag and keeps the old way
   * for runs that started without it.
   */
  hasFlag(flag: string): boolean;
  /**
   * Calls a tool; its output is the result. A failure throws here when `onFailure` is `continue`.
   * `timeoutMs` aborts an attempt that takes longer (a transient failure, code `timeout`).
   */
  tool<T extends Json = Json>(
    name: string,
    input: Json,
    options?: { onFailure?: OnFailure; timeoutMs?: number },
  ): EffectRequest<T>;
  /** Calls an LLM provider (default `scripted`). */
  llm(
    request: LlmRequest,
    options?: { provider?: string; onFailure?: OnFailure; timeoutMs?: number },
  ): EffectRequest<LlmResponse>;
  /** Sleeps durably: the run blocks and a waker resumes it. */
  sleep(ms: number): EffectRequest<{ sleptMs: number }>;
  /** Waits for a signal of that name (one that came early counts); the result is its value. */
  waitSignal<T extends Json = Json>(name: string): EffectRequest<T>;
  /** Waits for a human: the result is the value `resume` was given. */
  interrupt<T extends Json = Json>(value: Json, options?: { id?: string }): EffectRequest<T>;
  /** Records a value in the log under a key (visible in the timeline); the result is the value. */
  record<T extends Json>(key: string, value: T): EffectRequest<T>;
  /**
   * Several effects at once: their tool and LLM calls are requested in one commit and run
   * concurrently; the results come in the order given. `yield* ctx.all([...])` in a generator;
   * in an async function `await ctx.all([...])` and `await Promise.all([...])` do the same.
   */
  all<const T extends readonly EffectRequest<unknown>[]>(effects: T): AllRequest<T>;
}

/** Builds the context for one replay session. */
export function makeWorkflowContext<I>(
  session: EffectSession,
  base: {
    runId: string;
    input: I;
    now: () => number;
    random: () => number;
    hasFlag: (flag: string) => boolean;
  },
): WorkflowContext<I> {
  return {
    runId: base.runId,
    input: base.input,
    now: base.now,
    random: base.random,
    hasFlag: base.hasFlag,
    tool: (name, input, options = {}) =>
      new EffectRequest(
        session,
        {
          type: "do",
          action: {
            type: "callTool",
            tool: name,
            input,
            ...(options.onFailure ? { onFailure: options.onFailure } : {}),
            ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
          },
        },
        (v) => v as never,
      ),
    llm: (request, options = {}) =>
      new EffectRequest(
        session,
        {
          type: "do",
          action: {
            type: "callLLM",
            provider: options.provider ?? "scripted",
            input: request as unknown as JsonObject,
            ...(options.onFailure ? { onFailure: options.onFailure } : {}),
            ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
          },
        },
        (v) => v as unknown as LlmResponse,
      ),
    sleep: (ms) =>
      new EffectRequest(
        session,
        { type: "do", action: { type: "sleep", ms } },
        (v) => v as { sleptMs: number },
      ),
    waitSignal: (name) =>
      new EffectRequest(
        session,
        { type: "do", action: { type: "waitSignal", name } },
        (v) => (v as JsonObject).value as never,
      ),
    interrupt: (value, options = {}) =>
      new EffectRequest(
        session,
        { type: "interrupt", value, ...(options.id ? { interruptId: options.id } : {}) },
        (v) => v as never,
      ),
    record: (key, value) =>
      new EffectRequest(
        session,
        { type: "emit", events: [{ type: "StateUpdated", stepId: key, payload: value }] },
        (v) => v as never,
      ),
    all: (effects) => new AllRequest(effects),
  };
}
