import { canonicalJson } from "./canonical-json.ts";
import type { SequencedEvent } from "./events.ts";
import { sha256Hex } from "./hash.ts";

/** One event as a canonical NDJSON line (without the newline). */
export function eventLine(se: SequencedEvent): string {
  return se.event === undefined
    ? canonicalJson({ seq: se.seq, ts: se.ts })
    : lineOf(se, canonicalJson(se.event));
}

/**
 * The line of an event whose `event` is already written as canonical JSON: the keys of a line
 * sort as `event`, `seq`, `ts`, so the event's text goes in as it is.
 */
function lineOf(se: SequencedEvent, event: string): string {
  if (!Number.isFinite(se.seq) || !Number.isFinite(se.ts))
    return canonicalJson({ seq: se.seq, ts: se.ts, event: se.event });
  return `{"event":${event},"seq":${JSON.stringify(se.seq)},"ts":${JSON.stringify(se.ts)}}`;
}

/**
 * The event-stream hash: SHA-256 over the canonical NDJSON of the events, each line ended by
 * `\n`. The same log gives the same hash in every runtime; any changed byte changes it.
 */
export function hashEvents(events: readonly SequencedEvent[]): Promise<string> {
  const lines = events.map(eventLine);
  lines.push("");
  return sha256Hex(lines.join("\n"));
}

/**
 * `hashEvents` of the first `count` events, given each one's `event` as canonical JSON
 * (`canonicalJson(se.event)`), so a caller that needs that text too writes it once.
 */
export function hashWritten(
  events: readonly SequencedEvent[],
  written: readonly string[],
  count = events.length,
): Promise<string> {
  const lines: string[] = new Array(count + 1);
  for (let i = 0; i < count; i++)
    lines[i] = lineOf(events[i] as SequencedEvent, written[i] as string);
  lines[count] = "";
  return sha256Hex(lines.join("\n"));
}
