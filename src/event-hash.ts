import { canonicalJson } from "./canonical-json.ts";
import type { SequencedEvent } from "./events.ts";
import { sha256Hex } from "./hash.ts";

/** One event as a canonical NDJSON line (without the newline). */
export function eventLine(se: SequencedEvent): string {
  return canonicalJson({ seq: se.seq, ts: se.ts, event: se.event });
}

/**
 * The event-stream hash: SHA-256 over the canonical NDJSON of the events, each line ended by
 * `\n`. The same log gives the same hash in every runtime; any changed byte changes it.
 */
export function hashEvents(events: readonly SequencedEvent[]): Promise<string> {
  let text = "";
  for (const se of events) text += `${eventLine(se)}\n`;
  return sha256Hex(text);
}
