/**
 * runlog/store-kit: what someone writing a store (or a host for a new runtime) builds on. The
 * store contracts (`EventStore`, `SnapshotStore`, `HostStore`, `RunIndex`), the run index's row
 * and cursor helpers, the per-run metadata a host keeps, append validation, per-run locks, event
 * hashing, signal dedupe (`findSignalSeq`: a store's `signalSeq` index, else a scan), and the ids'
 * validators. The conformance suite every store must pass is
 * `runlog/store-kit/conformance` (it runs under vitest).
 *
 * ```ts
 * class MyStore implements HostStore {
 *   async append(runId, events, { expectedHead }) {
 *     assertAppendable(runId, events, expectedHead); // ValidationError before any write
 *     // in one transaction: ConcurrencyError unless the head is expectedHead, then the events
 *   }
 * }
 * ```
 */

export { failureData, toActionErrorData } from "../actions.ts";
export { canonicalJson } from "../canonical-json.ts";
export { decisionEvents, decisionId } from "../decision.ts";
export type { KernelErrorOptions } from "../errors.ts";
export { toErrorData } from "../errors.ts";
export { eventLine, hashEvents } from "../event-hash.ts";
export type { AppendOptions, EventStore, HostStore, RunStore } from "../event-store.ts";
export { EVENT_TYPES, sequence } from "../events.ts";
export { hashJson, sha256Hex } from "../hash.ts";
export type { HashStore, RunHash } from "../hash-store.ts";
export { MemoryHashStore } from "../hash-store.ts";
export { assertRunId, isRunId, isSignalName } from "../host/ids.ts";
export type { CommitListener } from "../host/observed-store.ts";
export { ObservedStore } from "../host/observed-store.ts";
export type { RecoverHandlers } from "../host/recover-runs.ts";
export { recoverRuns } from "../host/recover-runs.ts";
export { isResumeTokenShaped } from "../host/resume-token.ts";
export { DeterminismGuard, isReplaying } from "../kernel-mode.ts";
export { assertPlausibleTimes, MAX_BACKSTEP_MS, MAX_FUTURE_MS } from "../log-times.ts";
export type { LoadedRun, Migrations } from "../restore.ts";
export { restoreRun } from "../restore.ts";
export { importParsed } from "../run-export.ts";
export type { RunIndex } from "../run-index.ts";
export { decodeCursor, encodeCursor, listsBefore, parseCursor, summarize } from "../run-index.ts";
export { RunLocks } from "../run-locks.ts";
export type { BufferedSignal, PendingAction, RunMeta, Terminal } from "../run-meta.ts";
export { applyMeta, cloneMeta, emptyMeta, metaOf, tokensOf, upgradeMeta } from "../run-meta.ts";
export { statusOf, wakeAt } from "../run-status.ts";
export type { RunSummaryRow } from "../run-summary-row.ts";
export {
  listLimit,
  RUN_SUMMARY_COLUMNS,
  rowToSummary,
  rowValues,
  summaryToRow,
} from "../run-summary-row.ts";
export type { RecordedSignal } from "../signal-dedupe.ts";
export { findSignalSeq, recordedSignal } from "../signal-dedupe.ts";
export { signalBytes } from "../signal-size.ts";
export type { Snapshot, SnapshotStore } from "../snapshot-store.ts";
export { assertAppendable } from "../validate-append.ts";
export { parseWorkflowInput } from "../workflow/workflow.ts";
