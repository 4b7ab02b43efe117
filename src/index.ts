/**
 * runlog's core: a durable, event-sourced execution kernel. It imports nothing outside this
 * folder and uses only what browsers, Workers and Node share.
 *
 * ```ts
 * const kernel = new Kernel({ events: new MemoryEventStore(), reducer, executor, step });
 * const status = await kernel.runUntilBlocked("run-1", initialState);
 * ```
 */

export type {
  Action,
  ActionErrorData,
  ActionExecutor,
  ActionResult,
  ExecuteContext,
  OnFailure,
} from "./actions.ts";
export { ActionError, ActionErrorKind, failureData, toActionErrorData } from "./actions.ts";
export type {
  AgentInput,
  AgentOptions,
  AgentOutput,
  ApprovalAnswer,
  ApprovalRequest,
} from "./agent/agent-workflow.ts";
export { agentWorkflow, normalizeAnswer } from "./agent/agent-workflow.ts";
export { canonicalJson } from "./canonical-json.ts";
export { decisionEvents, decisionId } from "./decision.ts";
export { demoTools, echoTool, publishTool, searchTool } from "./demos/demo-tools.ts";
export {
  agentDemo,
  approvalDemo,
  demoExecutor,
  demoProvider,
  demoWorkflows,
  signalDemo,
  sleepDemo,
} from "./demos/demo-workflows.ts";
export type { EffectSink, RuntimeEffect } from "./effects.ts";
export type { ErrorData, KernelErrorOptions } from "./errors.ts";
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
export { eventLine, hashEvents } from "./event-hash.ts";
export type { AppendOptions, EventStore, HostStore, RunStore } from "./event-store.ts";
export type { Event, EventOf, EventType, SequencedEvent } from "./events.ts";
export { EVENT_TYPES, sequence } from "./events.ts";
export type { ForkOptions } from "./fork.ts";
export { forkRun } from "./fork.ts";
export { hashJson, sha256Hex } from "./hash.ts";
export type { HashStore, RunHash } from "./hash-store.ts";
export { MemoryHashStore } from "./hash-store.ts";
export { withBudgets } from "./host/budget-policy.ts";
export type { HostOptions, Started, StartOptions } from "./host/host.ts";
export { createHost, Host } from "./host/host.ts";
export { assertRunId, isRunId, isSignalName } from "./host/ids.ts";
export { createMemoryHost } from "./host/memory-host.ts";
export type { CommitListener } from "./host/observed-store.ts";
export { ObservedStore } from "./host/observed-store.ts";
export type {
  MintResumeTokenOptions,
  ResumeTokenCheck,
  ResumeTokenClaims,
} from "./host/resume-token.ts";
export { isResumeTokenShaped, mintResumeToken, verifyResumeToken } from "./host/resume-token.ts";
export type { RunHost, WorkflowInfo } from "./host/run-host.ts";
export type { RunInfo } from "./host/run-info.ts";
export type { Waker, WakerFactory } from "./host/waker.ts";
export { manualWaker, timerWaker } from "./host/waker.ts";
export type { WatchOptions } from "./host/watch.ts";
export { watchRun } from "./host/watch.ts";
export type { Json, JsonArray, JsonObject } from "./json.ts";
export { assertJsonDepth, jsonDepth, MAX_JSON_DEPTH } from "./json-depth.ts";
export { Kernel } from "./kernel.ts";
export { DeterminismGuard, isReplaying, KernelMode } from "./kernel-mode.ts";
export type { KernelOptions } from "./kernel-options.ts";
export { demoAgentScript } from "./llm/demo-agent-script.ts";
export type { LlmProviders } from "./llm/llm-executor.ts";
export { LlmExecutor } from "./llm/llm-executor.ts";
export type {
  LlmMessage,
  LlmProvider,
  LlmRequest,
  LlmResponse,
  LlmToolCall,
  LlmToolSpec,
  LlmUsage,
} from "./llm/llm-types.ts";
export type { FetchLike, OpenAIProviderOptions } from "./llm/openai-provider.ts";
export { createOpenAIProvider } from "./llm/openai-provider.ts";
export type { Script, ScriptedProviderOptions, ScriptedTurn } from "./llm/scripted-provider.ts";
export { createScriptedProvider, estimateTokens, scriptedTurn } from "./llm/scripted-provider.ts";
export { MemoryEventStore } from "./memory-event-store.ts";
export { MemoryRunStore } from "./memory-run-store.ts";
export { MemorySnapshotStore } from "./memory-snapshot-store.ts";
export type { Budgets, Policy, PolicyContext, RetryDecision, RetryOptions } from "./policy.ts";
export { AllowAllPolicy, AllowListPolicy, RetryWithBackoffPolicy } from "./policy.ts";
export type { Clock, Random, Scheduler } from "./ports.ts";
export { ManualClock, systemClock, systemRandom, timerScheduler } from "./ports.ts";
export type { Reducer } from "./reducer.ts";
export { reducer, stateUpdatedOnlyReducer } from "./reducer.ts";
export type { LoadedRun, Migrations } from "./restore.ts";
export { restoreRun } from "./restore.ts";
export type { ExportedRun, ExportHeader } from "./run-export.ts";
export { exportRun, importRun, parseExport } from "./run-export.ts";
export type { RunIndex, RunPage, RunQuery, RunSummary } from "./run-index.ts";
export { decodeCursor, encodeCursor, listsBefore, parseCursor, summarize } from "./run-index.ts";
export { RunLocks } from "./run-locks.ts";
export type { BufferedSignal, PendingAction, RunMeta, Terminal } from "./run-meta.ts";
export { applyMeta, cloneMeta, emptyMeta, metaOf, tokensOf } from "./run-meta.ts";
export type { BlockedInfo, RunStatus } from "./run-status.ts";
export { isTerminal, statusOf, wakeAt } from "./run-status.ts";
export type { RunSummaryRow } from "./run-summary-row.ts";
export {
  listLimit,
  RUN_SUMMARY_COLUMNS,
  rowToSummary,
  rowValues,
  summaryToRow,
} from "./run-summary-row.ts";
export type { Snapshot, SnapshotStore } from "./snapshot-store.ts";
export type { Next, StepContext, StepFn } from "./step.ts";
export { next } from "./step.ts";
export type { RunTimeline, TimelineAction, TimelineEntry, TimelineStatus } from "./timeline.ts";
export { buildTimeline, timelineStatus } from "./timeline.ts";
export type { ExecutorOptions } from "./tools/create-executor.ts";
export { createExecutor } from "./tools/create-executor.ts";
export type { Schema } from "./tools/schema.ts";
export { s } from "./tools/schema.ts";
export { ToolExecutor } from "./tools/tool-executor.ts";
export { defineTool, ToolRegistry } from "./tools/tool-registry.ts";
export type { SchemaLike, Tool, ToolContext } from "./tools/tool-types.ts";
export { assertAppendable } from "./validate-append.ts";
export type { VerifyInput, VerifyReport } from "./verify.ts";
export { verifyRun } from "./verify.ts";
export { EffectRequest, isEffect } from "./workflow/effect-request.ts";
export type { LineBody, LineOptions, LineResult, LineState } from "./workflow/straight-line.ts";
export { lineReducer, lineStep, workflow } from "./workflow/straight-line.ts";
export type { Workflow, WorkflowDefinition } from "./workflow/workflow.ts";
export { defineWorkflow, parseWorkflowInput } from "./workflow/workflow.ts";
export type { WorkflowContext } from "./workflow/workflow-context.ts";
export { WorkflowRegistry } from "./workflow/workflow-registry.ts";
