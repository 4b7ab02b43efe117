import type { Json } from "../json.ts";
import type { Reducer } from "../reducer.ts";
import type { Next, StepContext, StepFn } from "../step.ts";
import type { AllRequest, EffectRequest } from "./effect-request.ts";
import { AsyncLine } from "./line-async.ts";
import { LineCursor } from "./line-cursor.ts";
import { GeneratorLine } from "./line-generator.ts";
import { initLineState, type LineState, lineReducer, loadLine } from "./line-state.ts";
import { defineWorkflow, type Workflow, type WorkflowDefinition } from "./workflow.ts";
import type { WorkflowContext } from "./workflow-context.ts";

export type { LineResult, LineState } from "./line-state.ts";
export { lineReducer } from "./line-state.ts";

/** Workflow code: a generator (`yield ctx.tool(...)`) or an async function (`await ctx.tool(...)`). */
export type LineBody<I, O extends Json | undefined> = (
  ctx: WorkflowContext<I>,
  input: I,
) =>
  | Generator<EffectRequest<unknown> | AllRequest<readonly EffectRequest<unknown>[]>, O, unknown>
  | Promise<O>;

/** Options of a straight-line workflow, as for `defineWorkflow` without `init`, `step` and `reduce`. */
export type LineOptions<I> = Omit<
  WorkflowDefinition<I, LineState<I>>,
  "name" | "version" | "init" | "step" | "reduce"
>;

/**
 * Defines a workflow as ordinary code. The code runs until it asks for something the log does
 * not hold yet: that is the decision. While the process lives, the kernel keeps the running code
 * (the generator, or the pending async body) and continues it when the answer comes; after a
 * restart, an eviction, on another host, or whenever the state is not exactly the one that
 * follows, it runs the code again from the start, feeding it the recorded results. Code must be
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
    init: (input) => initLineState(input),
    step: lineStep(body),
    reduce: lineReducer as Reducer<LineState<I>>,
  });
}

type Runner<I> = GeneratorLine<I> | AsyncLine<I>;

/**
 * The step function of `body`: continues the run's live code when the step context offers a
 * slot that holds it and the state follows on from it, else replays `body` over the results.
 */
export function lineStep<I, O extends Json | undefined>(
  body: LineBody<I, O>,
): StepFn<LineState<I>> {
  const owner = { body };
  const decide = (state: LineState<I>, kctx: StepContext): Next | Promise<Next> => {
    const slot = kctx.live;
    const kept = slot?.get() as { owner: unknown; runner: Runner<I> } | undefined;
    if (kept && kept.owner === owner && kept.runner.follows(state)) {
      return settle(kept.runner.resume(state, kctx), slot);
    }
    const runner = start(body, state, kctx);
    const entry = { owner, runner: runner.runner };
    if (slot) slot.set(entry);
    return settle(runner.next, slot);
  };
  return {
    next(state: LineState<I>, kctx: StepContext): Next | Promise<Next> {
      // A state restored from a snapshot has its results still in the log: load them first.
      const loading = loadLine(state);
      return loading ? loading.then(() => decide(state, kctx)) : decide(state, kctx);
    },
  };
}

function start<I, O extends Json | undefined>(
  body: LineBody<I, O>,
  state: LineState<I>,
  kctx: StepContext,
): { runner: Runner<I>; next: Next | Promise<Next> } {
  const cursor = new LineCursor<I>(state, kctx);
  let out: ReturnType<LineBody<I, O>>;
  const yieldOnly = cursor.onAwait;
  const line = new AsyncLine<I>(cursor);
  try {
    out = body(cursor.ctx, state.input);
  } catch (error) {
    out = Promise.reject(error);
  }
  if (isGenerator(out)) {
    cursor.onAwait = yieldOnly;
    const gen = new GeneratorLine<I>(cursor, out as Generator<never, Json | undefined, unknown>);
    return { runner: gen, next: gen.run() };
  }
  const p = out as Promise<O>;
  return { runner: line, next: line.start(() => p) };
}

/** Drops the kept runner when the code ended or threw; it has nothing more to continue. */
function settle(next: Next | Promise<Next>, slot: StepContext["live"]): Next | Promise<Next> {
  const done = (n: Next): Next => {
    if (n.type === "complete") slot?.clear();
    return n;
  };
  if (!(next instanceof Promise)) return done(next);
  return next.then(done, (error: unknown) => {
    slot?.clear();
    throw error;
  });
}

function isGenerator<O>(value: unknown): value is Generator<unknown, O, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Generator).next === "function" &&
    typeof (value as Generator).throw === "function"
  );
}
