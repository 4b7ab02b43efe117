import type { Action, ActionErrorData } from "./actions.ts";
import { PolicyDeniedError } from "./errors.ts";

/** What the policy sees of the run when it authorizes an action. */
export interface PolicyContext {
  runId: string;
  actionId: string;
  actions: number;
  toolCalls: number;
  llmTokens: number;
}

/** Whether, and when, a failed attempt is tried again. */
export type RetryDecision = { type: "fail" } | { type: "retry"; afterMs: number };

/** Limits enforced from the log before an action runs; an exceeded one fails the action. */
export interface Budgets {
  /** The most actions of any kind a run may request. */
  maxSteps?: number;
  /** The most tool calls a run may request. */
  maxToolCalls?: number;
  /** The most LLM tokens (from `usage` in LLM outputs) a run may spend before another LLM call. */
  maxLlmTokens?: number;
}

/**
 * Decides what may run and what is retried. `authorize` throws `PolicyDeniedError` to refuse; the
 * kernel records the refusal (requested, then failed with kind `denied`).
 */
export interface Policy {
  authorize(action: Action, ctx: PolicyContext): void | Promise<void>;
  retryDecision(error: ActionErrorData, action: Action, attempt: number): RetryDecision;
  readonly budgets?: Budgets | undefined;
}

const FAIL: RetryDecision = { type: "fail" };

/** Allows every action and never retries (the seed's default). */
export class AllowAllPolicy implements Policy {
  readonly budgets?: Budgets;
  constructor(budgets?: Budgets) {
    if (budgets) this.budgets = budgets;
  }
  authorize(): void {}
  retryDecision(): RetryDecision {
    return FAIL;
  }
}

/**
 * Allows only the listed tools and LLM providers; an empty list allows none. `sleep` and
 * `waitSignal` are always allowed. Never retries unless wrapped.
 */
export class AllowListPolicy implements Policy {
  readonly budgets?: Budgets;
  readonly #tools: ReadonlySet<string>;
  readonly #providers: ReadonlySet<string>;
  constructor(options: {
    tools?: Iterable<string>;
    providers?: Iterable<string>;
    budgets?: Budgets;
  }) {
    this.#tools = new Set(options.tools ?? []);
    this.#providers = new Set(options.providers ?? []);
    if (options.budgets) this.budgets = options.budgets;
  }
  /** @throws PolicyDeniedError for a tool or provider not on the list. */
  authorize(action: Action, ctx: PolicyContext): void {
    if (action.type === "callTool" && !this.#tools.has(action.tool)) {
      throw new PolicyDeniedError(
        `run ${ctx.runId}: tool "${action.tool}" is not on the allow list`,
      );
    }
    if (action.type === "callLLM" && !this.#providers.has(action.provider)) {
      throw new PolicyDeniedError(
        `run ${ctx.runId}: LLM provider "${action.provider}" is not on the allow list`,
      );
    }
  }
  retryDecision(): RetryDecision {
    return FAIL;
  }
}

/** Options of `RetryWithBackoffPolicy`. */
export interface RetryOptions {
  /** Retries after the first attempt; 1 means the action runs at most twice. */
  maxRetries: number;
  /** The first backoff in ms; doubled on each retry. */
  baseMs: number;
  /** The largest backoff in ms. Default 60 000. */
  capMs?: number;
  /** A fraction in [0, 1] of the backoff spread at random. Default 0. */
  jitter?: number;
  /** The source of jitter; defaults to `Math.random`. */
  random?: () => number;
}

/**
 * Retries `transient` and `rateLimited` failures with exponential backoff, honouring a rate
 * limit's `retryAfterMs`; `permanent`, `denied` and `budget` failures never retry. Authorization
 * and budgets come from the wrapped policy.
 */
export class RetryWithBackoffPolicy implements Policy {
  readonly #inner: Policy;
  readonly #options: Required<Omit<RetryOptions, "random">> & { random: () => number };

  constructor(
    inner: Policy,
    maxRetries: number,
    baseMs: number,
    options: Partial<RetryOptions> = {},
  ) {
    this.#inner = inner;
    this.#options = {
      maxRetries,
      baseMs,
      capMs: options.capMs ?? 60_000,
      jitter: Math.min(1, Math.max(0, options.jitter ?? 0)),
      random: options.random ?? Math.random,
    };
  }

  get budgets(): Budgets | undefined {
    return this.#inner.budgets;
  }

  authorize(action: Action, ctx: PolicyContext): void | Promise<void> {
    return this.#inner.authorize(action, ctx);
  }

  retryDecision(error: ActionErrorData, _action: Action, attempt: number): RetryDecision {
    const o = this.#options;
    if (error.kind !== "transient" && error.kind !== "rateLimited") return FAIL;
    if (attempt >= o.maxRetries) return FAIL;
    if (error.kind === "rateLimited" && error.retryAfterMs !== undefined) {
      return { type: "retry", afterMs: Math.max(0, error.retryAfterMs) };
    }
    const backoff = Math.min(o.capMs, o.baseMs * 2 ** attempt);
    const spread = backoff * o.jitter;
    return { type: "retry", afterMs: Math.round(backoff - spread + spread * 2 * o.random()) };
  }
}
