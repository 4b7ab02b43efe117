import type { Json } from "../json.ts";
import type { Next, StepContext } from "../step.ts";
import type { EffectRequest } from "./effect-request.ts";
import { complete, decisionOf, type LineCursor, toActionError } from "./line-cursor.ts";
import type { LineState } from "./line-state.ts";

/**
 * How many microtask turns after the first new effect the code may still ask for more before the
 * decision is taken: effects started together (`Promise.all`, async helpers started side by side)
 * land in one decision. The same count applies live, in replay and in verify.
 */
export const GATHER_TURNS = 32;

interface Waiter {
  effect: EffectRequest<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Settle {
  resolve(next: Next): void;
  reject(error: unknown): void;
}

/**
 * An async-function workflow's code, run until it waits on effects the log does not hold yet.
 * Kept live, the pending body continues when their results come instead of starting over.
 */
export class AsyncLine<I> {
  readonly cursor: LineCursor<I>;
  /** Effects asked for and not answered, in the order the code asked. */
  readonly #queue: Waiter[] = [];
  #gathering = false;
  #settle: Settle | undefined;
  #finished: { output: Json | undefined } | undefined;
  #failed: { error: unknown } | undefined;

  constructor(cursor: LineCursor<I>) {
    this.cursor = cursor;
    cursor.onAwait = (effect) => this.#await(effect);
  }

  /** True when `state` follows on from the last decision (see `LineCursor.follows`). */
  follows(state: LineState<I>): boolean {
    return this.cursor.follows(state);
  }

  /** Starts the body; resolves with its first decision. */
  start(body: () => Promise<Json | undefined>): Promise<Next> {
    const decided = this.#expect();
    body().then(
      (output) => {
        this.#finished = { output };
        this.#maybeDecide();
      },
      (error: unknown) => {
        this.#failed = { error };
        this.#maybeDecide();
      },
    );
    this.#maybeDecide();
    return decided;
  }

  /** Continues on the state that follows the last decision: answers the effects it covered. */
  resume(state: LineState<I>, kctx: StepContext): Promise<Next> {
    const c = this.cursor;
    c.state = state;
    c.kctx = kctx;
    const decided = this.#expect();
    const answered = this.#queue.splice(0, c.awaiting);
    c.awaiting = 0;
    for (const w of answered) this.#answer(w);
    this.#maybeDecide();
    return decided;
  }

  #await(effect: EffectRequest<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const waiter = { effect, resolve, reject };
      if (this.#queue.length === 0 && this.#answer(waiter)) return;
      this.#queue.push(waiter);
      this.#maybeDecide();
    });
  }

  /** Hands a waiter its recorded result; false when the log has none for it yet. */
  #answer(w: Waiter): boolean {
    const r = this.cursor.take();
    if (!r) return false;
    if (r.ok) w.resolve(w.effect.map(r.value));
    else w.reject(toActionError(r.error));
    return true;
  }

  #expect(): Promise<Next> {
    return new Promise<Next>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
  }

  /** Takes the decision once the effects asked for together are all in (or the body ended). */
  #maybeDecide(): void {
    if (!this.#settle || this.#gathering) return;
    if (this.#queue.length > 0) {
      this.#gathering = true;
      afterTurns(GATHER_TURNS, () => {
        this.#gathering = false;
        this.#decide();
      });
      return;
    }
    this.#decide();
  }

  #decide(): void {
    const settle = this.#settle;
    if (!settle) return;
    if (this.#queue.length > 0) {
      const { next, size } = decisionOf(this.#queue.map((w) => w.effect.next));
      this.cursor.awaiting = size;
      this.#settle = undefined;
      settle.resolve(next);
      return;
    }
    if (this.#failed) {
      this.#settle = undefined;
      settle.reject(this.#failed.error);
      return;
    }
    if (this.#finished) {
      this.#settle = undefined;
      settle.resolve(complete(this.#finished.output));
    }
  }
}

function afterTurns(turns: number, fn: () => void): void {
  let p = Promise.resolve();
  for (let i = 0; i < turns; i++) p = p.then(() => undefined);
  void p.then(fn);
}
