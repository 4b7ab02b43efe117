// How each event reads in the timeline: an icon, a tone, a title and a one-line detail.
import type { Action, Event, SequencedEvent } from "runlog";
import {
  approvalOf,
  llmRequestDetail,
  questionOf,
  type Tone,
} from "../../ui-kit/describe-event.ts";
import { preview } from "../../ui-kit/format.ts";
import { formatClock, formatDuration } from "./format.ts";
import type { IconName } from "./icons.ts";

/** An event, ready to show. */
export interface EventView {
  icon: IconName;
  tone: Tone;
  title: string;
  detail?: string;
}

/** What the timeline remembers about earlier events to describe later ones. */
export class TimelineFacts {
  readonly #actions = new Map<string, { action: Action; at: number }>();
  #interruptAt: number | undefined;
  first: number | undefined;

  /** Describes `se` and remembers what later events need from it. */
  describe(se: SequencedEvent): EventView & { durationMs?: number } {
    this.first ??= se.ts;
    const e = se.event;
    if (e.type === "ActionRequested")
      this.#actions.set(e.actionId, { action: e.action, at: se.ts });
    if (e.type === "Interrupted") this.#interruptAt = se.ts;
    const requested = "actionId" in e ? this.#actions.get(e.actionId) : undefined;
    const view = describeEvent(e, requested?.action);
    if (requested && (e.type === "ActionSucceeded" || e.type === "ActionFailed")) {
      return { ...view, durationMs: se.ts - requested.at };
    }
    if (e.type === "Resumed" && this.#interruptAt !== undefined) {
      return { ...view, durationMs: se.ts - this.#interruptAt };
    }
    return view;
  }
}

function actionName(action: Action | undefined): string {
  if (!action) return "Action";
  switch (action.type) {
    case "callTool":
      return `Tool ${action.tool}`;
    case "callLLM":
      return "LLM call";
    case "sleep":
      return "Sleep";
    case "waitSignal":
      return `Signal wait “${action.name}”`;
  }
}

/** Describes one event; `action` is the request an outcome answers. */
export function describeEvent(e: Event, action?: Action): EventView {
  switch (e.type) {
    case "RunStarted":
      return {
        icon: "play",
        tone: "neutral",
        title: "Run started",
        detail: `${e.workflow} v${e.version} · ${preview(e.input, 70)}`,
      };
    case "StateUpdated":
      return {
        icon: "layers",
        tone: "neutral",
        title: "State recorded",
        detail: e.stepId ? `${e.stepId} · ${preview(e.payload, 60)}` : preview(e.payload, 70),
      };
    case "ActionRequested": {
      const a = e.action;
      if (a.type === "callTool")
        return {
          icon: "wrench",
          tone: "blue",
          title: `Call tool ${a.tool}`,
          detail: preview(a.input, 90),
        };
      if (a.type === "callLLM")
        return {
          icon: "sparkles",
          tone: "blue",
          title: "Ask the LLM",
          detail: llmRequestDetail(a.input),
        };
      if (a.type === "sleep")
        return { icon: "clock", tone: "blue", title: `Sleep ${formatDuration(a.ms)}` };
      return { icon: "radio", tone: "blue", title: `Wait for signal “${a.name}”` };
    }
    case "ActionAttemptFailed":
      return {
        icon: "retry",
        tone: "amber",
        title: `Attempt ${e.attempt + 1} failed`,
        detail: `${e.error.message}${e.retryAt ? ` · retry at ${formatClock(e.retryAt)}` : ""}`,
      };
    case "ActionSucceeded":
      return {
        icon: "check",
        tone: "green",
        title: `${actionName(action)} succeeded`,
        detail: outputDetail(e.output, action),
      };
    case "ActionFailed":
      return {
        icon: "x",
        tone: "red",
        title: `${actionName(action)} failed`,
        detail: `${e.error.kind}: ${e.error.message}`,
      };
    case "Interrupted":
      return {
        icon: "hand",
        tone: "amber",
        title: "Waiting for a human",
        detail: questionOf(e.value) ?? preview(e.value, 90),
      };
    case "Resumed":
      return {
        icon: "user",
        tone: "violet",
        title: resumedTitle(e.value),
        detail: preview(e.value, 90),
      };
    case "SignalReceived":
      return {
        icon: "zap",
        tone: "violet",
        title: `Signal “${e.name}” received`,
        detail: preview(e.value, 90),
      };
    case "Completed":
      return {
        icon: "flag",
        tone: "green",
        title: "Completed",
        ...(e.output === undefined ? {} : { detail: preview(e.output, 90) }),
      };
    case "Cancelled":
      return { icon: "ban", tone: "grey", title: "Cancelled", detail: e.reason };
    case "Forked":
      return {
        icon: "fork",
        tone: "violet",
        title: `Forked from ${e.fromRunId.slice(0, 8)} at #${e.atSeq}`,
      };
    case "RandomDrawn":
      return {
        icon: "dice",
        tone: "neutral",
        title: "Random values drawn",
        detail: e.values.map((v) => v.toFixed(3)).join(", "),
      };
  }
}

function resumedTitle(value: unknown): string {
  const approved = approvalOf(value);
  if (approved === undefined) return "Answered";
  return approved ? "Approved" : "Denied";
}

function outputDetail(output: unknown, action: Action | undefined): string {
  if (action?.type === "callLLM") {
    const message = (
      output as { message?: { content?: unknown; toolCalls?: { name?: string }[] } } | null
    )?.message;
    if (message) {
      const calls = message.toolCalls ?? [];
      const said = typeof message.content === "string" ? `“${preview(message.content, 70)}”` : "";
      return calls.length > 0 ? `${said} → calls ${calls.map((c) => c.name).join(", ")}` : said;
    }
  }
  return preview(output, 90);
}
