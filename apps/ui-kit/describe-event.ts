// What both web apps' timelines read the same way in an event: the colour family of its marker, a
// human's answer, an interrupt's question, an LLM request in one line. The titles and details
// around them stay in each app.
import { preview } from "./format.ts";

/** The colour family of an event's marker (the `tone-*` classes). */
export type Tone = "neutral" | "blue" | "green" | "red" | "amber" | "violet" | "grey";

/** Whether a resume value approves (`true`, `{ approved: true }`), denies, or is neither. */
export function approvalOf(value: unknown): boolean | undefined {
  const approved =
    typeof value === "boolean" ? value : (value as { approved?: unknown } | null)?.approved;
  return typeof approved === "boolean" ? approved : undefined;
}

/** The `question` an interrupt's value asks, when it has one. */
export function questionOf(value: unknown): string | undefined {
  const v = value as { question?: unknown } | null;
  return v && typeof v === "object" && typeof v.question === "string" ? v.question : undefined;
}

/** An LLM request in one line, "2 messages · last from user: …"; else a preview of its input. */
export function llmRequestDetail(input: unknown): string {
  const messages = (input as { messages?: { role?: string; content?: unknown }[] } | null)
    ?.messages;
  if (!Array.isArray(messages) || messages.length === 0) return preview(input, 90);
  const last = messages[messages.length - 1];
  return `${messages.length} message${messages.length === 1 ? "" : "s"} · last from ${last?.role ?? "?"}: ${preview(last?.content ?? "", 60)}`;
}
