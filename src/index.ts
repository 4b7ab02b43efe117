/**
 * runlog: a durable, event-sourced execution kernel for agent runs and workflows. This is the API
 * a workflow is written and hosted with; the runtimes' hosts are `runlog/idb`, `runlog/cloudflare`
 * and `runlog/node`, the HTTP API `runlog/http`. Store authors use `runlog/store-kit`; tests use
 * `runlog/testing`; the demo workflows are `runlog/demos`. It imports nothing outside this folder
 * and uses only what browsers, Workers and Node share.
 *
 * ```ts
 * const hello = workflow("hello", 1, async (ctx, input: { name: string }) => {
 *   await ctx.sleep(1000);
 *   return { greeting: `hello ${input.name}` };
 * });
 * const host = createMemoryHost({ workflows: [hello] });
 * const { runId } = await host.start("hello", { name: "Ada" });
 * ```
 */

export type { AbortControllerLike, AbortSignalLike } from "./abort.ts";
export type {
  Action,
  ActionErrorData,
  ActionExecutor,
  ActionResult,
  ExecuteContext,
  OnFailure,
} from "./actions.ts";
export { ActionError, ActionErrorKind } from "./actions.ts";
export type { AgentInput, AgentOptions, AgentOutput } from "./agent/agent-workflow.ts";
export { agentWorkflow } from "./agent/agent-workflow.ts";
export { BehaviourFlag, currentFlags, flagsOf } from "./behaviour-flags.ts";
export type { EffectSink, RuntimeEffect } from "./effects.ts";
export type { ErrorData } from "./errors.ts";
export {
  ConcurrencyError,
  ErrorCode,
  KernelError,
  NondeterminismError,
  NotBlockedError,
  PolicyDeniedError,
  RunNotFoundError,
  ValidationError,
} from "./errors.ts";
export type { Event, EventOf, EventType, SequencedEvent } from "./events.ts";
export { EVENT_FORMAT } from "./events.ts";
export type { ForkOptions } from "./fork.ts";
export { forkRun } from "./fork.ts";
export { withBudgets } from "./host/budget-policy.ts";
export type { ChangeFeed } from "./host/change-feed.ts";
export type { CloseOptions, HostOptions, Started, StartOptions } from "./host/host.ts";
export { createHost, Host } from "./host/host.ts";
export { createMemoryHost } from "./host/memory-host.ts";
export type {
  MintResumeTokenOptions,
  ResumeTokenCheck,
  ResumeTokenClaims,
} from "./host/resume-token.ts";
export { mintResumeToken, verifyResumeToken } from "./host/resume-token.ts";
export type { RunHost, WorkflowInfo } from "./host/run-host.ts";
export type { RunInfo } from "./host/run-info.ts";
export type { Waker, WakerFactory } from "./host/waker.ts";
export { timerWaker } from "./host/waker.ts";
export type { WatchOptions } from "./host/watch.ts";
export { watchRun } from "./host/watch.ts";
export type { Json, JsonArray, JsonObject } from "./json.ts";
export { assertJsonDepth, jsonDepth, MAX_JSON_DEPTH } from "./json-depth.ts";
export { Kernel } from "./kernel.ts";
export { KernelMode } from "./kernel-mode.ts";
export type { KernelOptions } from "./kernel-options.ts";
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
export { MemoryEventStore } from "./memory-event-store.ts";
export { MemoryRunStore } from "./memory-run-store.ts";
export { MemorySnapshotStore } from "./memory-snapshot-store.ts";
export type { Budgets, Policy, PolicyContext, RetryDecision, RetryOptions } from "./policy.ts";
export { AllowAllPolicy, AllowListPolicy, RetryWithBackoffPolicy } from "./policy.ts";
export type { Clock, IdSource, Random, RunLock, Scheduler } from "./ports.ts";
export {
  countingIds,
  processLock,
  systemClock,
  systemIds,
  systemRandom,
  timerScheduler,
} from "./ports.ts";
export type { Reducer } from "./reducer.ts";
export { reducer, stateUpdatedOnlyReducer } from "./reducer.ts";
export type { ExportedRun, ExportHeader, ImportOptions } from "./run-export.ts";
export { exportRun, importRun, parseExport } from "./run-export.ts";
export type { RunPage, RunQuery, RunSummary } from "./run-index.ts";
export type { BlockedInfo, RunStatus } from "./run-status.ts";
export { isTerminal } from "./run-status.ts";
export type { CronSpec } from "./schedule/cron.ts";
export { parseCron } from "./schedule/cron.ts";
export type { IntervalSpec } from "./schedule/interval.ts";
export type { ScheduleSpec } from "./schedule/next-fire.ts";
export { nextFireAt } from "./schedule/next-fire.ts";
export type { SignalLimits } from "./signal-limits.ts";
export { DEFAULT_SIGNAL_LIMITS, TooManySignalsError } from "./signal-limits.ts";
export type { Next, StepContext, StepFn } from "./step.ts";
export { next } from "./step.ts";
export type { RunTimeline, TimelineAction, TimelineEntry, TimelineStatus } from "./timeline.ts";
export { buildTimeline } from "./timeline.ts";
export type { ExecutorOptions } from "./tools/create-executor.ts";
export { createExecutor } from "./tools/create-executor.ts";
export type { Schema } from "./tools/schema.ts";
export { s } from "./tools/schema.ts";
export { defineTool, ToolRegistry } from "./tools/tool-registry.ts";
export type { SchemaLike, Tool, ToolContext } from "./tools/tool-types.ts";
export type { VerifyInput, VerifyReport } from "./verify.ts";
export { verifyRun } from "./verify.ts";
export type { AllResults } from "./workflow/effect-request.ts";
export { LineLog } from "./workflow/line-log.ts";
export type { LineBody, LineOptions, LineState } from "./workflow/straight-line.ts";
export { workflow } from "./workflow/straight-line.ts";
export type { Workflow, WorkflowDefinition } from "./workflow/workflow.ts";
export { defineWorkflow } from "./workflow/workflow.ts";
export type { WorkflowContext } from "./workflow/workflow-context.ts";
export { WorkflowRegistry } from "./workflow/workflow-registry.ts";
