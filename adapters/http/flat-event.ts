import type { Event, SequencedEvent } from "../../src/index.ts";

/** An event as the API serves it: `{seq, ts, type, ...fields}`. */
export type FlatEvent = { seq: number; ts: number } & Event;

/** Flattens a committed event for JSON and SSE. */
export function flatEvent(se: SequencedEvent): FlatEvent {
  return { seq: se.seq, ts: se.ts, ...se.event };
}
