// What an agent run handed its LLM as a tool's result: the `tool` message of its last LLM request.
import type { SequencedEvent } from "runlog";

export function lastToolText(events: readonly SequencedEvent[], tool?: string): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]?.event;
    if (e?.type !== "ActionRequested" || e.action.type !== "callLLM") continue;
    const { messages } = e.action.input as {
      messages: { role: string; name?: string; content: string }[];
    };
    return messages.find((m) => m.role === "tool" && (tool === undefined || m.name === tool))
      ?.content;
  }
  return undefined;
}
