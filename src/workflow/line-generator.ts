import { ValidationError } from "../errors.ts";
import type { Json } from "../json.ts";
import type { Next, StepContext } from "../step.ts";
import { type AllRequest, type EffectRequest, isAllRequest, isEffect } from "./effect-request.ts";
import { complete, decisionOf, type LineCursor, toActionError } from "./line-cursor.ts";
import type { LineResult, LineState } from "./line-state.ts";

type Yielded = EffectRequest<unknown> | AllRequest<readonly EffectRequest<unknown>[]>;

/**
 * A generator workflow's code, run until it asks for something the log does not hold yet. Kept
 * live, it continues from that point when the answer comes instead of starting over.
 */
export class GeneratorLine<I> {
  readonly cursor: LineCursor<I>;
  readonly #gen: Generator<Yielded, Json | undefined, unknown>;
  #step: IteratorResult<Yielded, Json | undefined> | undefined;
  /** Results gathered so far for a `ctx.all` the code waits on. */
  #gathered: LineResult[] = [];

  constructor(cursor: LineCursor<I>, gen: Generator<Yielded, Json | undefined, unknown>) {
    this.cursor = cursor;
    this.#gen = gen;
  }

  /** True when `state` follows on from the last decision (see `LineCursor.follows`). */
  follows(state: LineState<I>): boolean {
    return this.cursor.follows(state);
  }

  /** Continues on the state that follows the last decision. */
  resume(state: LineState<I>, kctx: StepContext): Next {
    const c = this.cursor;
    c.state = state;
    c.kctx = kctx;
    c.awaiting = 0;
    return this.run();
  }

  /** Runs the code over the recorded results until it decides. */
  run(): Next {
    const c = this.cursor;
    this.#step ??= this.#gen.next();
    for (;;) {
      if (this.#step.done) return complete(this.#step.value);
      const y: Yielded = this.#step.value;
      if (isEffect(y)) {
        const r = c.take();
        if (!r) {
          c.awaiting = 1;
          return y.next;
        }
        this.#step = r.ok
          ? this.#gen.next(y.map(r.value))
          : this.#gen.throw(toActionError(r.error));
        continue;
      }
      if (isAllRequest(y)) {
        const effects: readonly EffectRequest<unknown>[] = y.effects;
        while (this.#gathered.length < effects.length) {
          const r = c.take();
          if (!r) break;
          this.#gathered.push(r);
        }
        if (this.#gathered.length < effects.length) {
          const rest = effects.slice(this.#gathered.length);
          const { next, size } = decisionOf(rest.map((e) => e.next));
          c.awaiting = size;
          return next;
        }
        const gathered = this.#gathered;
        this.#gathered = [];
        const failed = gathered.find((r) => !r.ok);
        this.#step =
          failed && !failed.ok
            ? this.#gen.throw(toActionError(failed.error))
            : this.#gen.next(gathered.map((r, i): unknown => mapResult(effects[i], r)));
        continue;
      }
      throw new ValidationError(
        "a workflow generator may only yield effects made by its ctx (ctx.tool, ctx.sleep, ctx.all, …)",
      );
    }
  }
}

function mapResult(effect: EffectRequest<unknown> | undefined, r: LineResult): unknown {
  return r.ok && effect ? effect.map(r.value) : undefined;
}
