/**
 * runlog's core: a durable, event-sourced execution kernel. It imports nothing outside this
 * folder and uses only what browsers, Workers and Node share.
 *
 * ```ts
 * const kernel = new Kernel({ events: new MemoryEventStore(), reducer, executor, step });
 * const status = await kernel.runUntilBlocked("run-1", initialState);
 * ```
 */
export { ActionError, ActionErrorKind, failureData, toActionErrorData } from "./actions.ts";
export type { Action, ActionErrorData, ActionExecutor, ActionResult, ExecuteContext, OnFailure } from "./actions.ts";
export { canonicalJson } from "./canonical-json.ts";
export { decisionEvents, decisionId } from "./decision.ts";
export type { EffectSink, RuntimeEffect } from "./effects.ts";
export {
  ConcurrencyError,
  ErrorCode,
  KernelError,
  NondeterminismError,
  NotBlockedError,
  PolicyDeniedError,
  RunNotFoundError,
  toErrorData,
  ValidationError,
} from "./errors.ts";
export type { ErrorData, KernelErrorOptions } from "./errors.ts";
export { eventLine, hashEvents } from "./event-hash.ts";
export type { AppendOptions, EventStore, HostStore, RunStore } from "./event-store.ts";
export { EVENT_TYPES, sequence } from "./events.ts";
export type { Event, EventOf, EventType, SequencedEvent } from "./events.ts";
export { forkRun } from "./fork.ts";
export type { ForkOptions } from "./fork.ts";
export { hashJson, sha256Hex } from "./hash.ts";
export { MemoryHashStore } from "./hash-store.ts";
export type { HashStore, RunHash } from "./hash-store.ts";
export type { Json, JsonArray, JsonObject } from "./json.ts";
export { Kernel } from "./kernel.ts";
export type { KernelOptions } from "./kernel.ts";
export { DeterminismGuard, isReplaying, KernelMode } from "./kernel-mode.ts";
export { MemoryEventStore } from "./memory-event-store.ts";
export { MemoryRunStore } from "./memory-run-store.ts";
export { MemorySnapshotStore } from "./memory-snapshot-store.ts";
export { AllowAllPolicy, AllowListPolicy, RetryWithBackoffPolicy } from "./policy.ts";
export type { Budgets, Policy, PolicyContext, RetryDecision, RetryOptions } from "./policy.ts";
export { ManualClock, systemClock, systemRandom, timerScheduler } from "./ports.ts";
export type { Clock, Random, Scheduler } from "./ports.ts";
export { reducer, stateUpdatedOnlyReducer } from "./reducer.ts";
export type { Reducer } from "./reducer.ts";
export { restoreRun } from "./restore.ts";
export type { LoadedRun, Migrations } from "./restore.ts";
export { exportRun, importRun, parseExport } from "./run-export.ts";
export type { ExportedRun, ExportHeader } from "./run-export.ts";
export { decodeCursor, encodeCursor, listsBefore, summarize } from "./run-index.ts";
export type { RunIndex, RunPage, RunQuery, RunSummary } from "./run-index.ts";
export { RunLocks } from "./run-locks.ts";
export { applyMeta, cloneMeta, emptyMeta, metaOf, tokensOf } from "./run-meta.ts";
export type { BufferedSignal, PendingAction, RunMeta, Terminal } from "./run-meta.ts";
export { isTerminal, statusOf, wakeAt } from "./run-status.ts";
export type { BlockedInfo, RunStatus } from "./run-status.ts";
export type { Snapshot, SnapshotStore } from "./snapshot-store.ts";
export { next } from "./step.ts";
export type { Next, StepContext, StepFn } from "./step.ts";
export { buildTimeline, timelineStatus } from "./timeline.ts";
export type { RunTimeline, TimelineAction, TimelineEntry, TimelineStatus } from "./timeline.ts";
export { assertAppendable } from "./validate-append.ts";
export { verifyRun } from "./verify.ts";
export type { VerifyInput, VerifyReport } from "./verify.ts";
