import type {
  Event,
  ExportedRun,
  Json,
  RunInfo,
  RunPage,
  RunQuery,
  RunTimeline,
  SequencedEvent,
  VerifyReport,
  WorkflowInfo,
  WorkflowRegistry,
} from "../../src/index.ts";
import type { Backend, StartedRun } from "./backend.ts";
import { readAll } from "./backend.ts";
import { CliError, ExitCode, exitCodeOfStatus } from "./exit-codes.ts";
import { replayLog } from "./local-replay.ts";
import type { Progress } from "./progress.ts";

type Flat = { seq: number; ts: number; type: string } & Record<string, unknown>;

/** An event as the API serves it (`{seq, ts, type, ...}`) in the core's shape. */
export function fromFlat(flat: Flat): SequencedEvent {
  const { seq, ts, ...event } = flat;
  return { seq, ts, event: event as unknown as Event };
}

/**
 * The runs of a server, through its HTTP API. Replay needs the workflow's reducer, which the API
 * does not run, so it reads the log and folds it here with the workflows this CLI knows.
 */
export class HttpBackend implements Backend {
  readonly where: string;
  readonly #base: string;
  readonly #token: string | undefined;
  readonly #registry: () => Promise<WorkflowRegistry>;

  constructor(url: string, token: string | undefined, registry: () => Promise<WorkflowRegistry>) {
    this.#base = url.replace(/\/+$/, "");
    this.where = this.#base;
    this.#token = token;
    this.#registry = registry;
  }

  async workflows(): Promise<WorkflowInfo[]> {
    return ((await this.#json("GET", "/workflows")) as { workflows: WorkflowInfo[] }).workflows;
  }

  async start(
    workflow: string,
    input: Json,
    o: { runId?: string; version?: number; wait: boolean },
  ): Promise<StartedRun> {
    const body = {
      workflow,
      input,
      ...(o.runId ? { runId: o.runId } : {}),
      ...(o.version ? { version: o.version } : {}),
    };
    const { status, value } = await this.#call("POST", `/runs${o.wait ? "?wait=true" : ""}`, body);
    return { ...(value as RunInfo), existed: status === 200 };
  }

  async get(runId: string): Promise<RunInfo> {
    return (await this.#json("GET", `/runs/${enc(runId)}`)) as RunInfo;
  }

  async list(query: RunQuery): Promise<RunPage> {
    const q = new URLSearchParams();
    if (query.status) q.set("status", query.status);
    if (query.limit) q.set("limit", String(query.limit));
    if (query.cursor) q.set("cursor", query.cursor);
    const s = q.toString();
    return (await this.#json("GET", `/runs${s ? `?${s}` : ""}`)) as RunPage;
  }

  async events(
    runId: string,
    from: number,
    limit?: number,
  ): Promise<{ events: SequencedEvent[]; head: number }> {
    const q = `from=${from}${limit ? `&limit=${Math.min(limit, 1000)}` : "&limit=1000"}`;
    const page = (await this.#json("GET", `/runs/${enc(runId)}/events?${q}`)) as {
      events: Flat[];
      head: number;
    };
    return { events: page.events.map(fromFlat), head: page.head };
  }

  async timeline(runId: string): Promise<RunTimeline> {
    return (await this.#json("GET", `/runs/${enc(runId)}/timeline`)) as RunTimeline;
  }

  async resume(
    runId: string,
    value: Json,
    o: { interruptId?: string; wait: boolean },
  ): Promise<RunInfo> {
    const body = { value, ...(o.interruptId ? { interruptId: o.interruptId } : {}) };
    return (await this.#json(
      "POST",
      `/runs/${enc(runId)}/resume${o.wait ? "?wait=true" : ""}`,
      body,
    )) as RunInfo;
  }

  async signal(
    runId: string,
    name: string,
    value: Json,
    o: { signalId?: string; wait: boolean },
  ): Promise<RunInfo> {
    const headers: Record<string, string> = o.signalId ? { "idempotency-key": o.signalId } : {};
    const path = `/runs/${enc(runId)}/signals/${enc(name)}${o.wait ? "?wait=true" : ""}`;
    return (await this.#call("POST", path, { value }, headers)).value as RunInfo;
  }

  async cancel(runId: string, reason?: string): Promise<RunInfo> {
    return (await this.#json(
      "POST",
      `/runs/${enc(runId)}/cancel`,
      reason ? { reason } : {},
    )) as RunInfo;
  }

  async fork(
    runId: string,
    atSeq: number,
    o: { newRunId?: string; alternate?: Event[] },
  ): Promise<RunInfo> {
    const body = {
      atSeq,
      ...(o.newRunId ? { newRunId: o.newRunId } : {}),
      ...(o.alternate ? { alternate: o.alternate } : {}),
    };
    return (await this.#json("POST", `/runs/${enc(runId)}/fork?wait=true`, body)) as RunInfo;
  }

  async exportRun(runId: string): Promise<string> {
    const res = await this.#fetch("GET", `/runs/${enc(runId)}/export`, undefined, {
      accept: "application/x-ndjson",
    });
    return res.text();
  }

  async importRun(text: string, o: { runId?: string }, progress: Progress): Promise<ExportedRun> {
    progress.update(`uploading ${(text.length / 1024).toFixed(0)} KiB to ${this.where}`, true);
    const path = `/runs/import${o.runId ? `?runId=${enc(o.runId)}` : ""}`;
    const res = await this.#fetch("POST", path, text, { "content-type": "application/x-ndjson" });
    progress.done();
    return (await res.json()) as ExportedRun;
  }

  async verify(runId: string, progress: Progress): Promise<VerifyReport> {
    progress.update(`verifying ${runId} on ${this.where}`, true);
    const report = (await this.#json("GET", `/runs/${enc(runId)}/verify`)) as VerifyReport;
    progress.done();
    return report;
  }

  async replay(runId: string, progress: Progress) {
    const events = await readAll(this, runId, progress);
    return replayLog(await this.#registry(), runId, events, progress);
  }

  async close(): Promise<void> {}

  async #json(method: string, path: string, body?: unknown): Promise<unknown> {
    return (await this.#call(method, path, body)).value;
  }

  async #call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await this.#fetch(
      method,
      path,
      body === undefined ? undefined : JSON.stringify(body),
      {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
    );
    const text = await res.text();
    return { status: res.status, value: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async #fetch(
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<Response> {
    const all: Record<string, string> = { accept: "application/json", ...headers };
    if (this.#token) all.authorization = `Bearer ${this.#token}`;
    let res: Response;
    try {
      res = await fetch(`${this.#base}${path}`, {
        method,
        headers: all,
        ...(body === undefined ? {} : { body }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new CliError(
        ExitCode.Failed,
        "unreachable",
        `cannot reach the server at ${this.#base} (${why}); is it running?`,
      );
    }
    if (res.ok) return res;
    let code = "http_error";
    let message = `${method} ${path} answered ${res.status}`;
    try {
      const parsed = (await res.json()) as { error?: { code?: string; message?: string } };
      code = parsed.error?.code ?? code;
      message = parsed.error?.message ?? message;
    } catch {
      // Not JSON: keep the status line.
    }
    if (res.status === 401)
      message += this.#token ? " (the token was refused)" : " (pass --token or set RUNLOG_TOKEN)";
    throw new CliError(exitCodeOfStatus(res.status, code), code, message);
  }
}

const enc = encodeURIComponent;
