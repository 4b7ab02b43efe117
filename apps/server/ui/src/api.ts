// The HTTP API, version 1, as the UI calls it: JSON in and out, bearer auth asked for on a 401,
// errors thrown as `ApiError` with the server's code and message.
import { askForToken, forgetRejectedToken, getToken } from "./auth.ts";
import type {
  ApiEvent,
  EventsPage,
  RunInfo,
  RunStatusWord,
  RunsPage,
  VerifyResult,
  WorkflowInfo,
} from "./types.ts";

/** A request the server refused, or one that never reached it (`status` 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

interface RequestOptions {
  method?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Sends a request with the token; on a 401 asks for one and tries again. */
export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  let rejected = false;
  for (;;) {
    const headers: Record<string, string> = { ...options.headers };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    let body = options.body;
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    let response: Response;
    try {
      response = await fetch(path, {
        method: options.method ?? "GET",
        headers,
        ...(body === undefined ? {} : { body }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ApiError(0, "network", "Cannot reach the server. Is it running?");
    }
    if (response.status === 401) {
      if (token !== undefined) forgetRejectedToken(token);
      const next = await askForToken(rejected || token !== undefined);
      if (next === undefined) throw await toError(response);
      rejected = true;
      continue;
    }
    if (!response.ok) throw await toError(response);
    return response;
  }
}

async function toError(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(response.status, code, message);
}

async function json<T>(path: string, options?: RequestOptions): Promise<T> {
  const response = await request(path, options);
  return (await response.json()) as T;
}

const run = (id: string) => `/runs/${encodeURIComponent(id)}`;

/** Every call the UI makes. */
export const api = {
  async workflows(): Promise<WorkflowInfo[]> {
    const body = await json<WorkflowInfo[] | { workflows: WorkflowInfo[] }>("/workflows");
    return Array.isArray(body) ? body : body.workflows;
  },
  listRuns(query: {
    status?: RunStatusWord | undefined;
    limit?: number;
    cursor?: string | undefined;
  }) {
    const params = new URLSearchParams();
    if (query.status) params.set("status", query.status);
    if (query.limit) params.set("limit", String(query.limit));
    if (query.cursor) params.set("cursor", query.cursor);
    return json<RunsPage>(`/runs?${params}`);
  },
  getRun: (id: string) => json<RunInfo>(run(id)),
  events: (id: string, from: number, limit: number) =>
    json<EventsPage>(`${run(id)}/events?from=${from}&limit=${limit}`),
  start: (workflow: string, input: unknown, runId?: string) =>
    json<{ runId: string; status: RunStatusWord }>("/runs", {
      method: "POST",
      json: { workflow, input, ...(runId ? { runId } : {}) },
    }),
  resume: (id: string, value: unknown, interruptId?: string) =>
    json<{ status: RunStatusWord }>(`${run(id)}/resume`, {
      method: "POST",
      json: { value, ...(interruptId ? { interruptId } : {}) },
    }),
  signal: (id: string, name: string, value: unknown, key: string) =>
    request(`${run(id)}/signals/${encodeURIComponent(name)}`, {
      method: "POST",
      json: { value },
      headers: { "Idempotency-Key": key },
    }),
  cancel: (id: string, reason?: string) =>
    json<RunInfo>(`${run(id)}/cancel`, { method: "POST", json: reason ? { reason } : {} }),
  fork: (id: string, atSeq: number) =>
    json<RunInfo>(`${run(id)}/fork`, { method: "POST", json: { atSeq } }),
  exportRun: async (id: string) => (await request(`${run(id)}/export`)).text(),
  importRun: (ndjson: string) =>
    json<{ runId: string; head?: number; hash?: string }>("/runs/import", {
      method: "POST",
      body: ndjson,
      headers: { "Content-Type": "application/x-ndjson" },
    }),
  verify: (id: string) => json<VerifyResult>(`${run(id)}/verify`),
};

/** All of a run's events, page by page. */
export async function allEvents(id: string, signal?: AbortSignal): Promise<EventsPage> {
  const events: ApiEvent[] = [];
  let head = 0;
  for (;;) {
    const page = await api.events(id, events.length + 1, 500);
    head = page.head;
    events.push(...page.events);
    if (signal?.aborted || page.events.length === 0 || events.length >= head) break;
  }
  return { events, head };
}
