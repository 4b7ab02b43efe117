// Races through the HTTP API inside workerd: 100 concurrent answers to one interrupt and 100
// concurrent copies of one signal, through the Worker itself (each run in its Durable Object, on
// the DurableObjectStore) and through the app over a memory host. Exactly one resume is taken, one
// signal is recorded per Idempotency-Key, and the log stays valid.
import { exports } from "cloudflare:workers";
import { createMemoryHost, type SequencedEvent } from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";
import { createRunApi } from "runlog/http";
import { beforeAll, describe, expect, it } from "vitest";
import { logProblems } from "../support/crash-harness.ts";
import { type Call, post } from "../support/http-api-cases.ts";

const N = 100;
let runs = 0;

// The first call loads the Worker's modules into the test isolate, which takes seconds.
beforeAll(async () => {
  await exports.default.fetch("http://runlog.test/health");
}, 60_000);

const worker: Call = async (path, init) =>
  exports.default.fetch(new Request(`http://runlog.test${path}`, init));

function memoryApp(): Call {
  const app = createRunApi({
    host: createMemoryHost({ workflows: demoWorkflows, executor: demoExecutor() }),
  });
  return async (path, init) => app.fetch(new Request(`http://127.0.0.1${path}`, init));
}

/** The run's whole log through the API, checked for gaps, duplicates and double outcomes. */
async function logOf(call: Call, runId: string): Promise<SequencedEvent[]> {
  const body = (await (await call(`/runs/${runId}/events?limit=1000`)).json()) as {
    events: ({ seq: number; ts: number; type: string } & Record<string, unknown>)[];
  };
  const events = body.events.map(
    ({ seq, ts, ...event }) => ({ seq, ts, event }) as unknown as SequencedEvent,
  );
  expect(logProblems(runId, events)).toEqual([]);
  return events;
}

describe.each([
  ["the Worker (RunObject on DurableObjectStore)", () => worker],
  ["the app over a memory host", memoryApp],
] as const)("races inside workerd through %s", (_name, makeCall) => {
  it(`takes exactly one of ${N} concurrent resumes of one interrupt`, async () => {
    const call = makeCall();
    const runId = `wrace-resume-${Date.now()}-${runs++}`;
    const started = await post(call, "/runs?wait=true", {
      workflow: "demo.approval",
      input: { text: "x" },
      runId,
    });
    expect(started.status).toBe(201);
    const interruptId = ((await started.json()) as { blocked: { interrupt: { id: string } } })
      .blocked.interrupt.id;
    const answers = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        post(call, `/runs/${runId}/resume`, { value: { approved: true, by: i }, interruptId }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(answers.filter((s) => s === 200)).toHaveLength(1);
    expect(answers.filter((s) => s !== 200 && s !== 409)).toEqual([]);
    const winner = answers.indexOf(200);
    await post(call, `/runs/${runId}/resume?wait=true`, { value: "late" }).then((r) =>
      expect(r.status).toBe(409),
    );
    const log = await logOf(call, runId);
    const resumed = log.filter((e) => e.event.type === "Resumed");
    expect(resumed).toHaveLength(1);
    expect(resumed[0]?.event).toMatchObject({ value: { by: winner } });
  }, 60_000);

  it(`records one signal for ${N} concurrent sends with one Idempotency-Key`, async () => {
    const call = makeCall();
    const runId = `wrace-signal-${Date.now()}-${runs++}`;
    await post(call, "/runs?wait=true", { workflow: "demo.signal", input: { name: "go" }, runId });
    const answers = await Promise.all(
      // Copies of one request: the same key with another value would be a 409 (another request).
      Array.from({ length: N }, () =>
        post(
          call,
          `/runs/${runId}/signals/go`,
          { value: "the same" },
          { "idempotency-key": "one-key" },
        ).then((r) => r.status),
      ),
    );
    expect(answers.filter((s) => s !== 202)).toEqual([]);
    let info = { status: "" };
    for (let i = 0; i < 50 && info.status !== "completed"; i++) {
      info = (await (await call(`/runs/${runId}`)).json()) as { status: string };
      if (info.status !== "completed") await new Promise((r) => setTimeout(r, 20));
    }
    expect(info.status).toBe("completed");
    const signals = (await logOf(call, runId)).filter((e) => e.event.type === "SignalReceived");
    expect(signals).toHaveLength(1);
    expect(signals[0]?.event).toMatchObject({ signalId: "one-key" });
  }, 60_000);
});
