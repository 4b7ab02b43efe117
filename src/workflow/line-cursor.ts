import { ActionError, type ActionErrorData } from "../actions.ts";
import { ValidationError } from "../errors.ts";
import type { Json } from "../json.ts";
import type { Next, StepContext } from "../step.ts";
import type { EffectSession } from "./effect-request.ts";
import type { LineResult, LineState } from "./line-state.ts";
import { makeWorkflowContext, type WorkflowContext } from "./workflow-context.ts";

/**
 * Where a straight-line workflow's code stands in its run's results: how many it has consumed and
 * random values it has drawn, and how many results the decision it is waiting on will bring. A
 * live runner keeps it between decisions and resumes only on the very state that follows.
 */
export class LineCursor<I> implements EffectSession {
  state: LineState<I>;
  kctx: StepContext;
  cursor = 0;
  drawn = 0;
  /** Results the outstanding decision brings; 0 when none is outstanding. */
  awaiting = 0;
  readonly ctx: WorkflowContext<I>;

  constructor(state: LineState<I>, kctx: StepContext) {
    this.state = state;
    this.kctx = kctx;
    this.ctx = makeWorkflowContext<I>(this, {
      runId: kctx.runId,
      input: state.input,
      now: () => {
        if (this.cursor === 0) return this.state.startedAt;
        return this.state.results.at(this.cursor - 1)?.ts ?? this.state.startedAt;
      },
      random: () => {
        const at = this.drawn;
        this.drawn += 1;
        return at < this.state.drawn ? (this.state.randoms.at(at) as number) : this.kctx.random();
      },
      hasFlag: (flag) => this.state.flags?.includes(flag) === true,
    });
  }

  /** What awaiting an effect does: set by the runner that owns this cursor. */
  onAwait: EffectSession["await"] = () => {
    throw new ValidationError(
      "a generator workflow yields its effects (yield* ctx.tool(...)); it cannot await them",
    );
  };

  await(effect: Parameters<EffectSession["await"]>[0]): Promise<unknown> {
    return this.onAwait(effect);
  }

  /** The next recorded result, consumed; `undefined` when the code has caught up with the log. */
  take(): LineResult | undefined {
    if (this.cursor >= this.state.count) return undefined;
    const r = this.state.results.at(this.cursor);
    this.cursor += 1;
    return r;
  }

  /**
   * True when `state` is exactly what follows the state this code last saw: the same shared
   * arrays (so the entries it consumed are untouched), the results of its outstanding decision
   * and nothing more, and only the random values it drew.
   */
  follows(state: LineState<I>): boolean {
    const previous = this.state;
    return (
      this.awaiting > 0 &&
      state.input === previous.input &&
      state.results === previous.results &&
      state.randoms === previous.randoms &&
      state.count === this.cursor + this.awaiting &&
      state.drawn === this.drawn
    );
  }
}

/** The decision a queue of new effects makes: leading tool/LLM calls together, else the first. */
export function decisionOf(nexts: readonly Next[]): { next: Next; size: number } {
  let size = 0;
  while (size < nexts.length && isCall(nexts[size] as Next)) size += 1;
  if (size <= 1) return { next: nexts[0] as Next, size: 1 };
  const actions = nexts.slice(0, size).map((n) => (n as Extract<Next, { type: "do" }>).action);
  return { next: { type: "doAll", actions }, size };
}

function isCall(next: Next): boolean {
  return next.type === "do" && (next.action.type === "callTool" || next.action.type === "callLLM");
}

/** The decision a finished body makes. */
export function complete(output: Json | undefined): Next {
  return output === undefined ? { type: "complete" } : { type: "complete", output };
}

/** A recorded failure as the error the code sees. */
export function toActionError(error: ActionErrorData): ActionError {
  return new ActionError(
    error.kind,
    error.message,
    error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs },
  );
}
