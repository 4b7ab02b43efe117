import { streamSSE } from "hono/streaming";
import type { RunHost, SequencedEvent } from "../../src/index.ts";
import type { ApiContext } from "./api-context.ts";
import { flatEvent } from "./flat-event.ts";
import { RunParams, StreamHeaders, StreamQuery } from "./request-schemas.ts";
import type { RouteTable } from "./route-table.ts";

const ENDED = new Set(["completed", "failed", "cancelled"]);
const PAGE = 500;

/**
 * `GET /runs/{id}/stream`: Server-Sent Events of the run's events, `id:` the seq, `event:` the
 * type, `data:` the event as JSON. It starts after `Last-Event-ID` (a reconnect) or at `from`,
 * sends a comment every `heartbeatMs` so proxies keep the connection, and closes after the event
 * that ends the run.
 */
export function addStreamRoute(table: RouteTable, { host, heartbeatMs }: ApiContext): void {
  table.add(
    {
      method: "get",
      path: "/runs/{id}/stream",
      tag: "runs",
      summary: "Watch a run's events (Server-Sent Events)",
      description:
        "Each message: `id:` the seq, `event:` the event type, `data:` `{seq, ts, type, ...fields}`. Catch up with `from` or `Last-Event-ID`; a `: heartbeat` comment comes every 15 s by default; the stream closes after the run ends.",
      params: RunParams,
      query: StreamQuery,
      headers: StreamHeaders,
      responses: {
        200: {
          description: "The event stream.",
          content: { "text/event-stream": { schema: { type: "string" } } },
        },
      },
      errors: [400, 404],
    },
    async (c, { params, query, headers }) => {
      const info = await host.get(params.id);
      const last = headers["last-event-id"];
      const from = Math.min(last === undefined ? (query.from ?? 1) : last + 1, info.head + 1);
      const ended = ENDED.has(info.status);
      return streamSSE(c, async (stream) => {
        const stop = new AbortController();
        stream.onAbort(() => stop.abort());
        c.req.raw.signal?.addEventListener("abort", () => stop.abort());
        const beat = setInterval(() => void stream.write(": heartbeat\n\n"), heartbeatMs);
        try {
          await stream.write(`: run ${params.id} from seq ${from}\n\n`);
          const events = ended
            ? stored(host, params.id, from)
            : host.watch(params.id, { from, signal: stop.signal });
          for await (const se of events) {
            if (stop.signal.aborted) break;
            await stream.writeSSE({
              id: String(se.seq),
              event: se.event.type,
              data: JSON.stringify(flatEvent(se)),
            });
          }
        } finally {
          clearInterval(beat);
          stop.abort();
        }
      });
    },
  );
}

/** The stored events of an ended run from `from`, a page at a time. */
async function* stored(host: RunHost, runId: string, from: number): AsyncGenerator<SequencedEvent> {
  for (let next = from; ; ) {
    const page = await host.events(runId, next, PAGE);
    yield* page.events;
    const last = page.events[page.events.length - 1];
    if (!last || last.seq >= page.head) return;
    next = last.seq + 1;
  }
}
