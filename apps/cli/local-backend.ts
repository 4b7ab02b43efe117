import { existsSync } from "node:fs";
import {
  createNodeHost,
  envHostOptions,
  type NodeHost,
  type ProviderEnv,
} from "../../adapters/node/index.ts";
import type { Event, ExportedRun, Json, RunInfo, RunQuery } from "../../src/index.ts";
import { type Backend, readAll, type StartedRun } from "./backend.ts";
import { replayLog, verifyLog } from "./local-replay.ts";
import type { Progress } from "./progress.ts";

/**
 * The runs in a SQLite file, through a Node host in this process. It never re-drives runs it was
 * not asked about (no recovery at start); the runs it starts or resumes advance here until they
 * block or end, and a sleep it starts wakes in whichever server or CLI opens the file next.
 * A file that does not exist is created only by commands that write (`create`).
 */
export class LocalBackend implements Backend {
  readonly where: string;
  readonly host: NodeHost;
  readonly #nudging = new Map<string, Promise<unknown>>();

  private constructor(where: string, host: NodeHost) {
    this.where = where;
    this.host = host;
  }

  static async open(path: string, env: ProviderEnv, create: boolean): Promise<LocalBackend> {
    const options = await envHostOptions(env, { path });
    // Reading a database that is not there finds nothing, rather than leaving an empty file.
    const target = create || existsSync(path) ? path : ":memory:";
    const host = await createNodeHost({ ...options, path: target, recover: false, demos: true });
    return new LocalBackend(path, host);
  }

  async workflows() {
    return this.host.workflows();
  }
  start(
    workflow: string,
    input: Json,
    o: { runId?: string; version?: number; wait: boolean },
  ): Promise<StartedRun> {
    return this.host.start(workflow, input, o);
  }
  get(runId: string): Promise<RunInfo> {
    return this.host.get(runId);
  }
  list(query: RunQuery) {
    return this.host.list(query);
  }
  events(runId: string, from: number, limit?: number) {
    return this.host.events(runId, from, limit);
  }
  timeline(runId: string) {
    return this.host.timeline(runId);
  }
  resume(runId: string, value: Json, o: { interruptId?: string; wait: boolean }) {
    return this.host.resume(runId, value, o);
  }
  signal(runId: string, name: string, value: Json, o: { signalId?: string; wait: boolean }) {
    return this.host.signal(runId, name, value, o);
  }
  cancel(runId: string, reason?: string) {
    return this.host.cancel(runId, reason);
  }
  fork(runId: string, atSeq: number, o: { newRunId?: string; alternate?: Event[] }) {
    return this.host.fork(runId, atSeq, { ...o, wait: true });
  }
  exportRun(runId: string) {
    return this.host.exportRun(runId);
  }
  async importRun(text: string, o: { runId?: string }, progress: Progress): Promise<ExportedRun> {
    progress.update("checking and importing the log", true);
    const imported = await this.host.importRun(text, o);
    progress.done();
    return imported;
  }
  async verify(runId: string, progress: Progress) {
    const events = await readAll(this, runId, progress);
    return verifyLog(this.host.registry, runId, events, progress);
  }
  async replay(runId: string, progress: Progress) {
    const events = await readAll(this, runId, progress);
    return replayLog(this.host.registry, runId, events, progress);
  }
  /** Drives the run unless a drive this backend started is still going. */
  async nudge(runId: string): Promise<void> {
    if (this.#nudging.has(runId)) return;
    const drive = this.host.wake(runId).finally(() => this.#nudging.delete(runId));
    this.#nudging.set(runId, drive);
  }
  async close(): Promise<void> {
    await this.host.close();
  }
}
