import type { Host } from "runlog";
import { createRunApi } from "runlog/http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { json, makeDemoHost, post } from "../support/http-api-cases.ts";
import { listen, type TestServer } from "../support/http-server.ts";
import { collectEvents, readSse, type SseMessage } from "../support/sse-reader.ts";

let host: Host;
let server: TestServer;

beforeEach(async () => {
  host = makeDemoHost();
  server = await listen(createRunApi({ host, sse: { heartbeatMs: 40 } }).fetch);
  const r = await post(server.call, "/runs?wait=true", {
    workflow: "demo.approval",
    input: { text: "hi" },
    runId: "r",
  });
  expect((await json(r)).status).toBe("blocked");
});

afterEach(async () => {
  await server.close();
  await host.close();
});

const stream = async (query = "", headers: Record<string, string> = {}) => {
  const r = await server.call(`/runs/r/stream${query}`, { headers });
  expect(r.status).toBe(200);
  expect(r.headers.get("content-type")).toMatch(/^text\/event-stream/);
  return r.body as ReadableStream<Uint8Array>;
};
const seqs = (messages: SseMessage[]) => messages.map((m) => Number(m.id));

describe("the run's event stream", () => {
  it("catches up after a disconnect from Last-Event-ID with no gap or repeat, and closes after Completed", async () => {
    const first: SseMessage[] = [];
    for await (const m of readSse(await stream())) {
      if (m.event === undefined) continue;
      first.push(m);
      if (first.length === 2) break;
    }
    expect(seqs(first)).toEqual([1, 2]);
    expect(
      (await post(server.call, "/runs/r/resume?wait=true", { value: { approved: true } })).status,
    ).toBe(200);
    const rest = await collectEvents(await stream("?from=1", { "last-event-id": "2" }));
    const all = (await host.events("r")).events;
    expect([...seqs(first), ...seqs(rest)]).toEqual(all.map((e) => e.seq));
    expect(rest[rest.length - 1]?.event).toBe("Completed");
    for (const m of [...first, ...rest]) {
      const se = all.find((e) => e.seq === Number(m.id));
      expect(m.event).toBe(se?.event.type);
      expect(JSON.parse(m.data ?? "")).toEqual({ seq: se?.seq, ts: se?.ts, ...se?.event });
    }
  });

  it("delivers events live as they are committed, then closes", async () => {
    const seen: SseMessage[] = [];
    const reading = (async () => {
      for await (const m of readSse(await stream())) {
        if (m.event === undefined) continue;
        seen.push(m);
        if (m.id === "4") void post(server.call, "/runs/r/resume", { value: { approved: false } });
      }
    })();
    await reading;
    expect(seen.map((m) => m.event)).toEqual([
      "RunStarted",
      "ActionRequested",
      "ActionSucceeded",
      "Interrupted",
      "Resumed",
      "Completed",
    ]);
  });

  it("starts at from, and sends a heartbeat comment while the run waits", async () => {
    let heartbeat = false;
    const got: SseMessage[] = [];
    for await (const m of readSse(await stream("?from=3"))) {
      if (m.comment === "heartbeat") heartbeat = true;
      else if (m.event !== undefined) got.push(m);
      if (heartbeat && got.length === 2) break;
    }
    expect(seqs(got)).toEqual([3, 4]);
    expect(heartbeat).toBe(true);
  });

  it("closes at once for an ended run read past its end", async () => {
    await post(server.call, "/runs/r/cancel", {});
    expect(await collectEvents(await stream("?from=99"))).toEqual([]);
    expect(seqs(await collectEvents(await stream("", { "last-event-id": "3" })))).toEqual([4, 5]);
  });

  it("stops watching the run when the client goes away", async () => {
    const subscribe = host.store.subscribe.bind(host.store);
    let watching = 0;
    host.store.subscribe = (runId, listener) => {
      watching += 1;
      const unsubscribe = subscribe(runId, listener);
      return () => {
        watching -= 1;
        unsubscribe();
      };
    };
    for await (const m of readSse(await stream())) if (m.id === "4") break;
    expect(watching).toBe(1);
    for (let i = 0; i < 100 && watching > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(watching).toBe(0);
  });

  it("answers an unknown run or a bad Last-Event-ID with JSON errors", async () => {
    expect((await server.call("/runs/nope/stream")).status).toBe(404);
    const bad = await server.call("/runs/r/stream", { headers: { "last-event-id": "abc" } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toContain("last-event-id");
  });
});
