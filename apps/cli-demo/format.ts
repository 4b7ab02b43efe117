import type { RunTimeline, SequencedEvent } from "runlog";

const clip = (text: string, max = 90) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** One committed event as a terminal line: seq, time, type and the gist of its payload. */
export function formatEvent(se: SequencedEvent): string {
  const time = new Date(se.ts).toISOString().slice(11, 23);
  const { type, ...rest } = se.event;
  return `  #${String(se.seq).padStart(3)}  ${time}  ${type.padEnd(20)} ${clip(JSON.stringify(rest))}`;
}

/** The timeline as a small table with durations and the final status. */
export function formatTimeline(tl: RunTimeline): string {
  const lines = [`timeline of ${tl.runId}: ${tl.status}, ${tl.head} events, ${tl.durationMs} ms`];
  for (const e of tl.events) {
    const took = e.durationMs === undefined ? "" : `  (${e.durationMs} ms)`;
    lines.push(
      `  +${String(e.atMs).padStart(6)} ms  #${String(e.seq).padStart(3)}  ${e.label}${took}`,
    );
  }
  return lines.join("\n");
}
