import { ActionError, type ActionErrorData } from "../actions.ts";
import { ValidationError } from "../errors.ts";
import type { SequencedEvent } from "../events.ts";
import type { Json } from "../json.ts";
import type { Reducer } from "../reducer.ts";
import type { Next, StepContext, StepFn } from "../step.ts";
import type { EffectRequest, EffectSession } from "./effect-request.ts";
import { isEffect } from "./effect-request.ts";
import { defineWorkflow, type Workflow, type WorkflowDefinition } from "./workflow.ts";
import { makeWorkflowContext, type WorkflowContext } from "./workflow-context.ts";

/** One recorded result of an effect, in the order the code asked for them. */
export type LineResult =
  | { ok: true; value: Json; ts: number }
  | { ok: false; error: ActionErrorData; ts: number };

/** The state of a straight-line workflow: its input and every result so far. */
export interface LineState<I = Json> {
  input: I;
  startedAt: number;
  results: LineResult[];
  randoms: number[];
}

/** Workflow code: a generator (`yield ctx.tool(...)`) or an async function (`await ctx.tool(...)`). */
export type LineBody<I, O extends Json | undefined> = (
  ctx: WorkflowContext<I>,
  input: I,
) => Generator<EffectRequest<unknown>, O, unknown> | Promise<O>;

/** Options of a straight-line workflow, as for `defineWorkflow` without `init`, `step` and `reduce`. */
export type LineOptions<I> = Omit<
  WorkflowDefinition<I, LineState<I>>,
  "name" | "version" | "init" | "step" | "reduce"
>;

/**
 * Defines a workflow as ordinary code. Each decision re-runs the code from the start, feeding it
 * the recorded results, until it asks for something new: that is the decision. Code must be
 * deterministic (use `ctx.now()` and `ctx.random()`); a change that no longer matches a run's log
 * is reported by verify.
 */
export function workflow<I = Json, O extends Json | undefined = Json | undefined>(
  name: string,
  version: number,
  body: LineBody<I, O>,
  options: LineOptions<I> = {},
): Workflow<I, LineState<I>> {
  return defineWorkflow<I, LineState<I>>({
    ...options,
    name,
    version,
    init: (input) => ({ input, startedAt: 0, results: [], randoms: [] }),
    step: lineStep(body),
    reduce: lineReducer as Reducer<LineState<I>>,
  });
}

/** Folds the events that carry effect results into a straight-line state. */
export const lineReducer: Reducer<LineState<unknown>> = {
  apply(state: LineState<unknown>, se: SequencedEvent): LineState<unknown> {
    const e = se.event;
    switch (e.type) {
      case "RunStarted":
        return { ...state, startedAt: se.ts };
      case "ActionSucceeded":
        return { ...state, results: [...state.results, { ok: true, value: e.output, ts: se.ts }] };
      case "ActionFailed":
        return { ...state, results: [...state.results, { ok: false, error: e.error, ts: se.ts }] };
      case "Resumed":
        return { ...state, results: [...state.results, { ok: true, value: e.value, ts: se.ts }] };
      case "StateUpdated":
        return { ...state, results: [...state.results, { ok: true, value: e.payload, ts: se.ts }] };
      case "RandomDrawn":
        return { ...state, randoms: [...state.randoms, ...e.values] };
      default:
        return state;
    }
  },
};

/** The step function that replays `body` over the recorded results. */
export function lineStep<I, O extends Json | undefined>(
  body: LineBody<I, O>,
): StepFn<LineState<I>> {
  return {
    next(state: LineState<I>, kctx: StepContext): Next | Promise<Next> {
      let cursor = 0;
      let drawn = 0;
      let decided: ((next: Next) => void) | undefined;
      const pendingDecision: Next[] = [];
      const session: EffectSession = {
        await(effect) {
          const recorded = state.results[cursor];
          if (!recorded) {
            if (decided) decided(effect.next);
            else pendingDecision.push(effect.next);
            return new Promise(() => {});
          }
          cursor += 1;
          return recorded.ok
            ? Promise.resolve(effect.map(recorded.value))
            : Promise.reject(toActionError(recorded.error));
        },
      };
      const ctx = makeWorkflowContext(session, {
        runId: kctx.runId,
        input: state.input,
        now: () =>
          cursor === 0 ? state.startedAt : (state.results[cursor - 1]?.ts ?? state.startedAt),
        random: () => {
          const recorded = state.randoms[drawn];
          drawn += 1;
          return recorded ?? kctx.random();
        },
      });
      const out = body(ctx, state.input);
      if (isGenerator(out))
        return driveGenerator(
          out,
          state,
          () => cursor,
          (n) => (cursor = n),
        );
      return new Promise<Next>((resolve, reject) => {
        const first = pendingDecision[0];
        if (first) return resolve(first);
        decided = resolve;
        out.then((output) => resolve(complete(output)), reject);
      });
    },
  };
}

function driveGenerator<I, O extends Json | undefined>(
  gen: Generator<EffectRequest<unknown>, O, unknown>,
  state: LineState<I>,
  getCursor: () => number,
  setCursor: (n: number) => void,
): Next {
  let step = gen.next();
  while (!step.done) {
    const effect = step.value;
    if (!isEffect(effect)) {
      throw new ValidationError(
        "a workflow generator may only yield effects made by its ctx (ctx.tool, ctx.sleep, …)",
      );
    }
    const at = getCursor();
    const recorded = state.results[at];
    if (!recorded) return effect.next;
    setCursor(at + 1);
    step = recorded.ok
      ? gen.next(effect.map(recorded.value))
      : gen.throw(toActionError(recorded.error));
  }
  return complete(step.value);
}

function complete(output: Json | undefined): Next {
  return output === undefined ? { type: "complete" } : { type: "complete", output };
}

function isGenerator<O>(value: unknown): value is Generator<EffectRequest<unknown>, O, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Generator).next === "function" &&
    typeof (value as Generator).throw === "function"
  );
}

function toActionError(error: ActionErrorData): ActionError {
  const e = new ActionError(
    error.kind,
    error.message,
    error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs },
  );
  return e;
}
