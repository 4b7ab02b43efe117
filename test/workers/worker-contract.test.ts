// The Worker as it is deployed (apps/worker: the API over Durable Objects, one per run) against
// the same tables the Node suites run: the contract's requests and every malformed or refused
// request, each answered with the same status as on Node and appending nothing.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type Call, JSON_HEADERS, SEEDED, seedRuns } from "../support/http-api-cases.ts";
import { BAD_REQUESTS } from "../support/http-bad-requests.ts";
import { runContract } from "../support/http-contract-cases.ts";

const call: Call = (path, init) => exports.default.fetch(`http://runlog.test${path}`, init);

/** The seeded runs' logs as the API exports them, to show a refused request changed nothing. */
async function seededLogs(): Promise<Record<string, string>> {
  const logs: Record<string, string> = {};
  for (const runId of Object.values(SEEDED))
    logs[runId] = new TextDecoder().decode(
      await (await call(`/runs/${runId}/export`)).arrayBuffer(),
    );
  return logs;
}

beforeAll(async () => {
  await seedRuns(call);
}, 60_000);

describe("the Worker against the shared HTTP tables", () => {
  it("answers every request of the contract table with the status Node answers", async () => {
    const { got, want } = await runContract(call, `worker-${Date.now()}`);
    expect(got).toEqual(want);
  });

  it.each(BAD_REQUESTS)("refuses $name with $status and appends nothing", async (c) => {
    const before = await seededLogs();
    const headers = c.headers ?? (c.body === undefined ? {} : JSON_HEADERS);
    const r = await call(c.path, {
      method: c.method,
      headers,
      ...(c.body === undefined ? {} : { body: c.body }),
    });
    expect(r.status).toBe(c.status);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body).toEqual({
      error: { code: c.code ?? expect.any(String), message: expect.any(String) },
    });
    expect(await seededLogs()).toEqual(before);
  });
});
