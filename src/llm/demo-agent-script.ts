import type { Json } from "../json.ts";
import type { LlmMessage, LlmRequest } from "./llm-types.ts";
import type { ScriptedTurn } from "./scripted-provider.ts";

/**
 * The scripted model of the `demo.agent` workflow, a pure function of the request: turn 0 calls
 * `search` with the task (the first user message), turn 1 calls `publish` with `{title, body}`
 * made from the search result, and turn 2 on answers with a summary that says whether publishing
 * was done, denied (a tool result saying `denied`, `approved: false` or "denied"/"rejected") or
 * failed (a tool result with an `error`).
 */
export function demoAgentScript(request: LlmRequest, turn: number): ScriptedTurn {
  const task = request.messages.find((m) => m.role === "user")?.content.trim() || "the task";
  if (turn === 0) {
    return {
      content: `Searching for: ${clip(task, 80)}`,
      toolCalls: [{ name: "search", arguments: { query: task } }],
    };
  }
  const found = clip(findings(toolResult(request.messages, "search")), 400);
  const title = `Findings: ${clip(task, 60)}`;
  if (turn === 1) {
    const body = `What I found about "${task}": ${found}`;
    return {
      content: "Publishing what I found.",
      toolCalls: [{ name: "publish", arguments: { title, body } }],
    };
  }
  const published = toolResult(request.messages, "publish");
  const outcome =
    published === undefined ? { type: "missing" as const } : publishOutcome(published);
  switch (outcome.type) {
    case "denied":
      return {
        content: `I did not publish "${title}": publishing was denied. What I found: ${found}`,
      };
    case "failed":
      return {
        content: `Publishing "${title}" failed (${outcome.message}). What I found: ${found}`,
      };
    case "missing":
      return { content: `I did not publish "${title}". What I found: ${found}` };
    case "published":
      return { content: `Published "${title}". What I found: ${found}` };
  }
}

type Outcome =
  | { type: "published" }
  | { type: "denied" }
  | { type: "failed"; message: string }
  | { type: "missing" };

/** The content of the last result of the named tool in the history. */
function toolResult(messages: readonly LlmMessage[], name: string): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role === "tool" && m.name === name) return m.content;
  }
  return undefined;
}

/** The search tool's results as one readable line, or its raw text. */
function findings(content: string | undefined): string {
  if (content === undefined) return "nothing";
  const value = parseJson(content);
  if (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Array.isArray(value.results)
  ) {
    const lines = value.results.filter((r): r is string => typeof r === "string");
    if (lines.length > 0) return lines.join("; ");
  }
  return content;
}

function publishOutcome(content: string): Outcome {
  const value = parseJson(content);
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    if (value.denied === true || value.approved === false || value.status === "denied")
      return { type: "denied" };
    if (value.error !== undefined) return { type: "failed", message: errorMessage(value.error) };
    return { type: "published" };
  }
  if (/\b(denied|rejected)\b/i.test(content)) return { type: "denied" };
  return { type: "published" };
}

function errorMessage(error: Json): string {
  if (typeof error === "string") return error;
  if (
    typeof error === "object" &&
    error !== null &&
    !Array.isArray(error) &&
    typeof error.message === "string"
  ) {
    return error.message;
  }
  return JSON.stringify(error);
}

function parseJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
