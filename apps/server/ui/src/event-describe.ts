// How each event type reads in the timeline: an icon, a tone, a title, a one-line detail, and the
// payload the viewer shows.
import {
  approvalOf,
  llmRequestDetail,
  questionOf,
  type Tone,
} from "../../../ui-kit/describe-event.ts";
import { preview } from "../../../ui-kit/format.ts";
import { formatClock, formatDuration, shortId } from "./format.ts";
import type { IconName } from "./icons.ts";
import type { EventFacts } from "./timeline-model.ts";
import type { ApiEvent } from "./types.ts";

/** A piece of a title: plain text, or a name shown as code. */
export type TitlePart = string | { code: string };

/** An event, ready to show. */
export interface EventDescription {
  icon: IconName;
  tone: Tone;
  /** Text, with names (tools, signals) as `{ code }` parts. */
  title: TitlePart[];
  detail?: string;
  /** A run this event links to (a fork's origin). */
  link?: { runId: string; label: string };
  payload: Record<string, unknown>;
}

/** The payload of an event: its fields without seq, ts and type. */
export function payloadOf(e: ApiEvent): Record<string, unknown> {
  const { seq: _seq, ts: _ts, type: _type, ...fields } = e as ApiEvent & Record<string, unknown>;
  return fields;
}

/** Describes one event. */
export function describeEvent(e: ApiEvent, facts: EventFacts): EventDescription {
  const payload = payloadOf(e);
  switch (e.type) {
    case "RunStarted":
      return {
        icon: "play",
        tone: "neutral",
        title: ["Run started"],
        detail: `${e.workflow} v${e.version} · input ${preview(e.input, 60)}`,
        payload,
      };
    case "StateUpdated":
      return {
        icon: "layers",
        tone: "neutral",
        title: ["State updated"],
        ...(e.stepId ? { detail: `step ${e.stepId}` } : {}),
        payload,
      };
    case "ActionRequested": {
      const a = e.action;
      if (a.type === "callTool")
        return {
          icon: "wrench",
          tone: "blue",
          title: ["Call tool ", { code: a.tool }],
          detail: preview(a.input, 100),
          payload,
        };
      if (a.type === "callLLM")
        return {
          icon: "sparkles",
          tone: "blue",
          title: ["Call LLM ", { code: a.provider }],
          detail: llmRequestDetail(a.input),
          payload,
        };
      if (a.type === "sleep")
        return { icon: "clock", tone: "blue", title: [`Sleep ${formatDuration(a.ms)}`], payload };
      return {
        icon: "radio",
        tone: "blue",
        title: ["Wait for signal ", { code: a.name }],
        payload,
      };
    }
    case "ActionAttemptFailed":
      return {
        icon: "retry",
        tone: "amber",
        title: [`Attempt ${e.attempt + 1} failed: `, ...subject(facts)],
        detail: `${e.error.message}${e.retryAt ? ` · retry at ${formatClock(e.retryAt)}` : ""}`,
        payload,
      };
    case "ActionSucceeded":
      return {
        icon: "check",
        tone: "green",
        title: succeeded(facts),
        detail: outputDetail(facts, e.output),
        payload,
      };
    case "ActionFailed":
      return {
        icon: "x",
        tone: "red",
        title: [...subject(facts), " failed"],
        detail: `${e.error.kind}: ${e.error.message}`,
        payload,
      };
    case "Interrupted":
      return {
        icon: "hand",
        tone: "amber",
        title: ["Waiting for a human"],
        detail: questionOf(e.value) ?? preview(e.value, 100),
        payload,
      };
    case "Resumed":
      return {
        icon: "userCheck",
        tone: "violet",
        title: [resumedTitle(e.value)],
        detail: preview(e.value, 100),
        payload,
      };
    case "SignalReceived":
      return {
        icon: "zap",
        tone: "violet",
        title: ["Signal ", { code: e.name }, " received"],
        detail: preview(e.value, 100),
        payload,
      };
    case "Completed":
      return {
        icon: "flag",
        tone: "green",
        title: ["Completed"],
        ...(e.output === undefined ? {} : { detail: preview(e.output, 100) }),
        payload,
      };
    case "Cancelled":
      return { icon: "ban", tone: "grey", title: ["Cancelled"], detail: e.reason, payload };
    case "Forked":
      return {
        icon: "fork",
        tone: "violet",
        title: [`Forked at #${e.atSeq}`],
        link: { runId: e.fromRunId, label: `from ${shortId(e.fromRunId)}` },
        payload,
      };
    case "RandomDrawn":
      return {
        icon: "dice",
        tone: "neutral",
        title: ["Random values drawn"],
        detail: `${e.values.length} value${e.values.length === 1 ? "" : "s"}`,
        payload,
      };
    default:
      return { icon: "layers", tone: "neutral", title: [(e as { type: string }).type], payload };
  }
}

// "Tool echo", "LLM scripted", "Sleep", "Signal go": what an outcome is about.
function subject(facts: EventFacts): TitlePart[] {
  const a = facts.action;
  if (!a) return ["Action"];
  if (a.type === "callTool") return ["Tool ", { code: a.name }];
  if (a.type === "callLLM") return ["LLM ", { code: a.name }];
  if (a.type === "sleep") return ["Sleep"];
  return ["Signal ", { code: a.name }];
}

function succeeded(facts: EventFacts): TitlePart[] {
  const a = facts.action;
  if (a?.type === "callLLM") return ["LLM ", { code: a.name }, " answered"];
  if (a?.type === "sleep") return ["Woke up"];
  if (a?.type === "waitSignal") return ["Signal ", { code: a.name }, " consumed"];
  return [...subject(facts), " succeeded"];
}

// An LLM's answer reads as its text and the tools it asks for, not as raw JSON.
function outputDetail(facts: EventFacts, output: unknown): string {
  if (facts.action?.type !== "callLLM") return preview(output, 100);
  const message = (
    output as { message?: { content?: unknown; toolCalls?: { name?: string }[] } } | null
  )?.message;
  if (!message) return preview(output, 100);
  const parts: string[] = [];
  if (typeof message.content === "string" && message.content)
    parts.push(preview(message.content, 80));
  const calls = Array.isArray(message.toolCalls) ? message.toolCalls.map((c) => c.name ?? "?") : [];
  if (calls.length > 0) parts.push(`→ ${calls.join(", ")}`);
  return parts.join(" ") || preview(output, 100);
}

function resumedTitle(value: unknown): string {
  const approved = approvalOf(value);
  if (approved === undefined) return "Resumed";
  return approved ? "Approved" : "Denied";
}
