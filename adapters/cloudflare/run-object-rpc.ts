import type {
  Event,
  ExportedRun,
  Json,
  RunInfo,
  RunSummary,
  RunTimeline,
  SequencedEvent,
  Started,
  VerifyReport,
} from "../../src/index.ts";
import type { RpcResult } from "./rpc-result.ts";

/** What a fork brings to the run object of the new run: the source's events up to `atSeq`. */
export interface ForkSource {
  runId: string;
  atSeq: number;
  events: SequencedEvent[];
}

/**
 * What a run's Durable Object answers over RPC. Every method names the run (the object holds the
 * one whose id it was made from) and answers a `RpcResult`, never a thrown error.
 */
export interface RunObjectRpc {
  start(
    runId: string,
    workflow: string,
    input: Json,
    options?: { version?: number; wait?: boolean },
  ): Promise<RpcResult<Started>>;
  info(runId: string): Promise<RpcResult<RunInfo>>;
  events(
    runId: string,
    from?: number,
    limit?: number,
  ): Promise<RpcResult<{ events: SequencedEvent[]; head: number }>>;
  timeline(runId: string): Promise<RpcResult<RunTimeline>>;
  resume(
    runId: string,
    value: Json,
    options?: { interruptId?: string; wait?: boolean },
  ): Promise<RpcResult<RunInfo>>;
  signal(
    runId: string,
    name: string,
    value: Json,
    options?: { signalId?: string; wait?: boolean },
  ): Promise<RpcResult<RunInfo>>;
  cancel(runId: string, reason?: string): Promise<RpcResult<RunInfo>>;
  exportRun(runId: string): Promise<RpcResult<string>>;
  /** Imports an NDJSON export as this object's run `runId`. */
  importRun(text: string, runId: string): Promise<RpcResult<ExportedRun>>;
  verify(runId: string): Promise<RpcResult<VerifyReport>>;
  /** Starts `runId` as a fork of `source` (with `alternate` events) and continues it. */
  forkFrom(
    runId: string,
    source: ForkSource,
    options?: { alternate?: Event[]; wait?: boolean },
  ): Promise<RpcResult<RunInfo>>;
  /** The run's events from `from` as NDJSON bytes, then each as it commits (see `eventStream`). */
  watch(
    runId: string,
    options?: { from?: number; follow?: boolean },
  ): Promise<RpcResult<ReadableStream<Uint8Array>>>;
  /** The run's summary as its object holds it, and the head the run index acknowledged. */
  summary(runId: string): Promise<RpcResult<{ summary: RunSummary; reportedHead: number } | null>>;
  /** Resolves when the run's drives so far have finished and its summary was reported. */
  idle(runId: string): Promise<RpcResult<{ reported: boolean }>>;
}

/** The run object of `runId` in a namespace bound to a `RunObject` class. */
export function runObjectOf(namespace: DurableObjectNamespace, runId: string): RunObjectRpc {
  return namespace.get(namespace.idFromName(runId)) as unknown as RunObjectRpc;
}
