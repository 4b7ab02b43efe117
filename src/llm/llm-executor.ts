import {
  type Action,
  ActionError,
  type ActionExecutor,
  type ActionResult,
  type ExecuteContext,
} from "../actions.ts";
import { ValidationError } from "../errors.ts";
import type { LlmProvider, LlmRequest } from "./llm-types.ts";

/** Providers by name: a list (each under its own `name`) or a record (each under its key). */
export type LlmProviders = readonly LlmProvider[] | Readonly<Record<string, LlmProvider>>;

/**
 * Runs `callLLM` actions: `action.provider` picks the provider, `action.input` is its
 * `LlmRequest`, and the `LlmResponse` is the recorded output. An unknown provider or an input
 * without `messages` is a final `permanent` failure (codes `unknown_provider`, `invalid_input`);
 * what the provider throws propagates, so the policy can retry it.
 */
export class LlmExecutor implements ActionExecutor {
  readonly #providers = new Map<string, LlmProvider>();

  /** @throws ValidationError when two providers in a list share a name. */
  constructor(providers: LlmProviders = []) {
    const entries: [string, LlmProvider][] = isList(providers)
      ? providers.map((p) => [p.name, p])
      : Object.entries(providers);
    for (const [name, provider] of entries) {
      if (this.#providers.has(name))
        throw new ValidationError(`LLM provider "${name}" is given twice`);
      this.#providers.set(name, provider);
    }
  }

  /** The provider of that name, or `undefined`. */
  get(name: string): LlmProvider | undefined {
    return this.#providers.get(name);
  }

  /** @throws ActionError (permanent) for an action that is not a `callLLM`. */
  async execute(_runId: string, action: Action, ctx: ExecuteContext): Promise<ActionResult> {
    if (action.type !== "callLLM") {
      throw ActionError.permanent(`the LLM executor runs callLLM actions, not ${action.type}`);
    }
    const provider = this.#providers.get(action.provider);
    if (!provider) {
      return failure("unknown_provider", `unknown LLM provider ${action.provider}`);
    }
    const input = action.input;
    if (
      typeof input !== "object" ||
      input === null ||
      Array.isArray(input) ||
      !Array.isArray(input.messages)
    ) {
      return failure("invalid_input", `${action.provider}: a callLLM input needs a messages array`);
    }
    const response = await provider.complete(input as LlmRequest, {
      actionId: ctx.actionId,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    return { type: "success", output: response };
  }
}

function isList(providers: LlmProviders): providers is readonly LlmProvider[] {
  return Array.isArray(providers);
}

function failure(code: string, message: string): ActionResult {
  return { type: "failure", error: { kind: "permanent", message, code } };
}
