// A workflow module for the real server in the secrets test (RUNLOG_WORKFLOWS points here): one
// LLM call to the provider named `openai`, which the environment points at a test server.
import { type Json, workflow } from "runlog";

export const llmSecret = workflow<Record<string, never>, Json>(
  "test.llm-secret",
  1,
  function* llmSecretRun(ctx) {
    return yield* ctx.llm(
      { messages: [{ role: "user", content: "hello" }] },
      { provider: "openai" },
    );
  },
  { description: "Calls the openai provider once." },
);

export const workflows = [llmSecret];
