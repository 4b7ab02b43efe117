// What the HTTP API suites share between Node (real HTTP on 127.0.0.1) and workerd (app.fetch):
// a way to call the API, the runs every suite seeds, the route list of the auth matrix, and a
// snapshot of every log to prove nothing changed. The malformed requests are in http-bad-requests.ts.
import { createMemoryHost, type RunHost } from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";

/** Calls the API at `path` (a server over HTTP, or the app in-process). */
export type Call = (path: string, init?: RequestInit) => Promise<Response>;

/** A memory host with the four demo workflows. */
export function makeDemoHost() {
  return createMemoryHost({ workflows: demoWorkflows, executor: demoExecutor() });
}

export const JSON_HEADERS = { "content-type": "application/json" };

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered and assert on it.
type Loose = Record<string, any>;

/** A response's JSON body, loosely typed for assertions. */
export const json = async (r: Response): Promise<Loose> => (await r.json()) as Loose;

/** POST with a JSON body. */
export function post(
  call: Call,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return call(path, {
    method: "POST",
    headers: { ...JSON_HEADERS, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The runs the suites expect: `appr-1` waiting on its interrupt, `sig-1` waiting for signal `go`. */
export const SEEDED = { approval: "appr-1", signal: "sig-1" } as const;

/** Starts the seeded runs and waits until both are blocked. */
export async function seedRuns(call: Call, headers: Record<string, string> = {}): Promise<void> {
  const a = await post(
    call,
    "/runs?wait=true",
    { workflow: "demo.approval", input: { text: "hello" }, runId: SEEDED.approval },
    headers,
  );
  const s = await post(
    call,
    "/runs?wait=true",
    { workflow: "demo.signal", input: {}, runId: SEEDED.signal },
    headers,
  );
  for (const r of [a, s]) {
    const info = (await r.json()) as { status: string };
    if (info.status !== "blocked") throw new Error(`a seeded run is ${info.status}, not blocked`);
  }
}

/** Every run's exported log (its events and hash), to compare before and after a request. */
export async function snapshotLogs(host: RunHost): Promise<Record<string, string>> {
  const logs: Record<string, string> = {};
  let cursor: string | undefined;
  do {
    const page = await host.list({ limit: 200, ...(cursor ? { cursor } : {}) });
    for (const run of page.runs) logs[run.runId] = await host.exportRun(run.runId);
    cursor = page.nextCursor;
  } while (cursor);
  return logs;
}

/** Every route of the API, with a request that would succeed given the right credentials. */
export interface RouteCase {
  method: string;
  path: string;
  body?: string;
}

export function routeCases(runId: string): RouteCase[] {
  const start = (body: unknown) => JSON.stringify(body);
  return [
    { method: "GET", path: "/openapi.json" },
    { method: "GET", path: "/docs" },
    { method: "GET", path: "/workflows" },
    {
      method: "POST",
      path: "/runs",
      body: start({ workflow: "demo.signal", input: {}, runId: "auth-new" }),
    },
    { method: "GET", path: "/runs" },
    { method: "GET", path: `/runs/${runId}` },
    { method: "GET", path: `/runs/${runId}/events` },
    { method: "GET", path: `/runs/${runId}/timeline` },
    { method: "GET", path: `/runs/${runId}/stream` },
    { method: "POST", path: `/runs/${runId}/resume`, body: start({ value: { approved: true } }) },
    { method: "POST", path: `/runs/${runId}/signals/go`, body: "{}" },
    { method: "POST", path: `/runs/${runId}/cancel`, body: "{}" },
    { method: "POST", path: `/runs/${runId}/resume-tokens`, body: "{}" },
    { method: "POST", path: `/runs/${runId}/fork`, body: start({ atSeq: 1 }) },
    { method: "GET", path: `/runs/${runId}/export` },
    { method: "POST", path: "/runs/import", body: "x" },
    { method: "GET", path: `/runs/${runId}/verify` },
  ];
}
