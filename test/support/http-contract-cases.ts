// The API's contract as one ordered table of requests and the statuses they must get, run
// against every server the project ships from this one definition: the Node API over real HTTP
// and the Worker with its Durable Objects in workerd. `tag` keeps the runs one pass makes apart
// from another's. The seeded runs (http-api-cases.ts) must exist first.
import { type Call, JSON_HEADERS, SEEDED } from "./http-api-cases.ts";

/** One request of the contract and the status it must be answered with. */
export interface ContractCase {
  name: string;
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
}

const { approval, signal } = SEEDED;

/** The contract's requests, in the order they must be sent. */
export function contractCases(tag: string): ContractCase[] {
  const noInput = `${tag}-no-input`;
  const key = { "idempotency-key": `${tag}-key` };
  return [
    { name: "health", method: "GET", path: "/health", status: 200 },
    { name: "the workflows", method: "GET", path: "/workflows", status: 200 },
    { name: "the OpenAPI document", method: "GET", path: "/openapi.json", status: 200 },
    {
      name: "a start without input",
      method: "POST",
      path: "/runs?wait=true",
      body: { workflow: "demo.signal", runId: noInput },
      status: 201,
    },
    {
      name: "the same start again",
      method: "POST",
      path: "/runs",
      body: { workflow: "demo.signal", runId: noInput },
      status: 200,
    },
    {
      name: "the same start with its input spelled out",
      method: "POST",
      path: "/runs",
      body: { workflow: "demo.signal", input: {}, runId: noInput },
      status: 200,
    },
    {
      name: "the same run id with other input",
      method: "POST",
      path: "/runs",
      body: { workflow: "demo.signal", input: { name: "other" }, runId: noInput },
      status: 409,
    },
    { name: "a page of runs", method: "GET", path: "/runs?limit=5", status: 200 },
    { name: "a run", method: "GET", path: `/runs/${approval}`, status: 200 },
    {
      name: "a page of events",
      method: "GET",
      path: `/runs/${approval}/events?from=2&limit=2`,
      status: 200,
    },
    { name: "a timeline", method: "GET", path: `/runs/${approval}/timeline`, status: 200 },
    {
      name: "a signal with a key",
      method: "POST",
      path: `/runs/${signal}/signals/note`,
      body: { value: 1 },
      headers: key,
      status: 202,
    },
    {
      name: "the same signal again",
      method: "POST",
      path: `/runs/${signal}/signals/note`,
      body: { value: 1 },
      headers: key,
      status: 202,
    },
    {
      name: "the same key with another value",
      method: "POST",
      path: `/runs/${signal}/signals/note`,
      body: { value: 2 },
      headers: key,
      status: 409,
    },
    {
      name: "the same key with another name",
      method: "POST",
      path: `/runs/${signal}/signals/other`,
      body: { value: 1 },
      headers: key,
      status: 409,
    },
    {
      name: "resume tokens without a token configured",
      method: "POST",
      path: `/runs/${approval}/resume-tokens`,
      body: {},
      status: 501,
    },
    { name: "an export", method: "GET", path: `/runs/${approval}/export`, status: 200 },
    { name: "a verify", method: "GET", path: `/runs/${approval}/verify`, status: 200 },
    {
      name: "a fork",
      method: "POST",
      path: `/runs/${approval}/fork`,
      body: { atSeq: 4, newRunId: `${tag}-fork` },
      status: 201,
    },
    {
      name: "a cancel",
      method: "POST",
      path: `/runs/${noInput}/cancel`,
      body: { reason: "done" },
      status: 200,
    },
    {
      name: "a second cancel",
      method: "POST",
      path: `/runs/${noInput}/cancel`,
      body: {},
      status: 409,
    },
  ];
}

/**
 * Sends the contract's requests in order and answers each one's outcome as
 * `"<name>: <status>"`, so a test compares the list with the expected one and a failure shows
 * every request that disagreed at once.
 */
export async function runContract(
  call: Call,
  tag: string,
): Promise<{ got: string[]; want: string[] }> {
  const got: string[] = [];
  const want: string[] = [];
  for (const c of contractCases(tag)) {
    const r = await call(c.path, {
      method: c.method,
      headers: { ...(c.body === undefined ? {} : JSON_HEADERS), ...c.headers },
      ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }),
    });
    await r.arrayBuffer();
    got.push(`${c.name}: ${r.status}`);
    want.push(`${c.name}: ${c.status}`);
  }
  return { got, want };
}
