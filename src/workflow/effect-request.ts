import type { Json } from "../json.ts";
import type { Next } from "../step.ts";

/** The replay session an effect asks for its recorded result (set by the straight-line step). */
export interface EffectSession {
  /** Settles the effect from the log, or records it as the step's decision and never settles. */
  await(effect: EffectRequest<unknown>): Promise<unknown>;
}

/**
 * One thing a straight-line workflow waits for: `yield effect` (untyped), `yield* effect` (typed)
 * in a generator, or `await effect` in an async function. Its result comes from the log.
 */
export class EffectRequest<T> implements PromiseLike<T> {
  /** The kernel decision this effect makes when it is new. */
  readonly next: Next;
  /** Turns the recorded output into what the author sees. */
  readonly map: (recorded: Json) => T;
  readonly #session: EffectSession;

  constructor(session: EffectSession, next: Next, map: (recorded: Json) => T) {
    this.#session = session;
    this.next = next;
    this.map = map;
  }

  // biome-ignore lint/suspicious/noThenProperty: an effect is awaited in async-function workflows.
  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return (this.#session.await(this) as Promise<T>).then(onFulfilled, onRejected);
  }

  *[Symbol.iterator](): Generator<EffectRequest<T>, T, unknown> {
    return (yield this) as T;
  }
}

/** True for an effect made by a workflow context. */
export function isEffect(value: unknown): value is EffectRequest<unknown> {
  return value instanceof EffectRequest;
}

/** The results of several effects, in the order given. */
export type AllResults<T extends readonly EffectRequest<unknown>[]> = {
  -readonly [K in keyof T]: T[K] extends EffectRequest<infer R> ? R : never;
};

/**
 * Several effects asked for at once (`ctx.all([...])`): tool and LLM calls among them run
 * concurrently. `yield* ctx.all(...)` in a generator, or `await` it (it is `Promise.all`).
 */
export class AllRequest<T extends readonly EffectRequest<unknown>[]>
  implements PromiseLike<AllResults<T>>
{
  readonly effects: T;

  constructor(effects: T) {
    this.effects = effects;
  }

  // biome-ignore lint/suspicious/noThenProperty: `await ctx.all(...)` in async-function workflows.
  then<A = AllResults<T>, B = never>(
    onFulfilled?: ((value: AllResults<T>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return (Promise.all(this.effects) as Promise<AllResults<T>>).then(onFulfilled, onRejected);
  }

  *[Symbol.iterator](): Generator<AllRequest<T>, AllResults<T>, unknown> {
    return (yield this) as AllResults<T>;
  }
}

/** True for a `ctx.all(...)` request. */
export function isAllRequest(value: unknown): value is AllRequest<EffectRequest<unknown>[]> {
  return value instanceof AllRequest;
}
