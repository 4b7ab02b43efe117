import type { Event, SequencedEvent } from "../events.ts";
import type { Json } from "../json.ts";
import type { ExportedRun } from "../run-export.ts";
import type { RunPage, RunQuery } from "../run-index.ts";
import type { RunTimeline } from "../timeline.ts";
import type { VerifyReport } from "../verify.ts";
import type { Started, StartOptions } from "./host-options.ts";
import type { RunInfo } from "./run-info.ts";
import type { WatchOptions } from "./watch.ts";

/** A workflow as a host lists it. */
export interface WorkflowInfo {
  name: string;
  version: number;
  versions: number[];
  description?: string;
}

/**
 * What the HTTP API and the CLI need of a host. `Host` implements it over a local store; the
 * Worker implements it by forwarding each call to the run's Durable Object.
 * Errors are the core's (`ValidationError`, `RunNotFoundError`, `NotBlockedError`, `KernelError`
 * with code `conflict` or `workflow_unavailable`).
 */
export interface RunHost {
  workflows(): WorkflowInfo[];
  start(workflow: string, input: unknown, options?: StartOptions): Promise<Started>;
  get(runId: string): Promise<RunInfo>;
  list(query?: RunQuery): Promise<RunPage>;
  events(
    runId: string,
    from?: number,
    limit?: number,
  ): Promise<{ events: SequencedEvent[]; head: number }>;
  timeline(runId: string): Promise<RunTimeline>;
  resume(
    runId: string,
    value: Json,
    options?: { interruptId?: string; wait?: boolean },
  ): Promise<RunInfo>;
  signal(
    runId: string,
    name: string,
    value: Json,
    options?: { signalId?: string; wait?: boolean },
  ): Promise<RunInfo>;
  cancel(runId: string, reason?: string): Promise<RunInfo>;
  watch(runId: string, options?: WatchOptions): AsyncIterable<SequencedEvent>;
  fork(
    runId: string,
    atSeq: number,
    options?: { newRunId?: string; alternate?: Event[]; wait?: boolean },
  ): Promise<RunInfo>;
  exportRun(runId: string): Promise<string>;
  importRun(text: string, options?: { runId?: string }): Promise<ExportedRun>;
  verify(runId: string): Promise<VerifyReport>;
}
