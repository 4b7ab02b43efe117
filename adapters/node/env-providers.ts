import { createOpenAIProvider, type LlmProvider } from "../../src/index.ts";

/** The environment variables `providersFromEnv` reads, as `process.env` has them. */
export type ProviderEnv = Readonly<Record<string, string | undefined>>;

const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

/**
 * The LLM providers the environment configures: an OpenAI-compatible one named `openai` when
 * `OPENAI_MODEL` is set together with `OPENAI_BASE_URL` or `OPENAI_API_KEY` (the base URL defaults
 * to OpenAI's). The key is passed to the provider and never logged. Servers and the CLI call this
 * with `process.env`; the core never reads the environment.
 */
export function providersFromEnv(env: ProviderEnv): LlmProvider[] {
  const model = env.OPENAI_MODEL?.trim();
  const baseUrl = env.OPENAI_BASE_URL?.trim();
  const apiKey = env.OPENAI_API_KEY?.trim();
  if (!model || (!baseUrl && !apiKey)) return [];
  return [
    createOpenAIProvider({
      name: "openai",
      baseUrl: baseUrl || OPENAI_DEFAULT_BASE_URL,
      model,
      ...(apiKey ? { apiKey } : {}),
    }),
  ];
}
