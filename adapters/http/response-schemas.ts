import { z } from "zod";

/**
 * The zod schemas of what the API answers. They document the responses in the OpenAPI document;
 * the handlers build the values from the core's own types.
 */

const Json = z.unknown().meta({ description: "Any JSON value." });
const Status = z.enum(["running", "blocked", "completed", "failed", "cancelled"]);

export const ErrorSchema = z
  .object({
    error: z.object({ code: z.string().meta({ example: "validation" }), message: z.string() }),
  })
  .meta({ id: "Error" });

export const HealthSchema = z.object({ ok: z.literal(true) }).meta({ id: "Health" });

export const BlockedSchema = z
  .object({
    interrupt: z.object({ id: z.string(), value: Json }).optional(),
    waitSignal: z.string().optional(),
    timerAt: z.number().optional(),
    retryAt: z.number().optional(),
  })
  .meta({ id: "Blocked", description: "What a blocked run waits for." });

export const RunInfoSchema = z
  .object({
    runId: z.string(),
    workflow: z.string(),
    version: z.number().int(),
    status: Status,
    blocked: BlockedSchema.optional(),
    head: z.number().int().meta({ description: "The seq of the last event." }),
    output: Json.optional(),
    error: z
      .object({ code: z.string(), message: z.string(), kind: z.string().optional() })
      .optional(),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .meta({ id: "RunInfo" });

export const RunPageSchema = z
  .object({
    runs: z.array(
      z.object({
        runId: z.string(),
        workflow: z.string().optional(),
        version: z.number().int().optional(),
        status: Status,
        waitingOn: z.enum(["interrupt", "signal", "timer", "retry"]).optional(),
        wakeAt: z.number().optional(),
        head: z.number().int(),
        createdAt: z.number(),
        updatedAt: z.number(),
      }),
    ),
    nextCursor: z.string().optional(),
  })
  .meta({ id: "RunPage" });

const OnFailure = z.enum(["failRun", "continue"]).optional();

/** An action as the log records it (`Action`). */
export const ActionSchema = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("callTool"),
      tool: z.string(),
      input: Json,
      onFailure: OnFailure,
      timeoutMs: z.number().optional(),
    }),
    z.object({
      type: z.literal("callLLM"),
      provider: z.string(),
      input: Json,
      onFailure: OnFailure,
      timeoutMs: z.number().optional(),
    }),
    z.object({ type: z.literal("sleep"), ms: z.number() }),
    z.object({ type: z.literal("waitSignal"), name: z.string() }),
  ])
  .meta({ id: "Action" });

/** A failed action as the log records it (`ActionErrorData`). */
export const ActionErrorSchema = z
  .object({
    kind: z.enum(["transient", "rateLimited", "permanent", "denied", "budget", "cancelled"]),
    message: z.string(),
    retryAfterMs: z.number().optional(),
    name: z.string().optional(),
    code: z.string().optional(),
  })
  .meta({ id: "ActionError" });

/** Each event type with its fields, flattened beside `seq` and `ts`. */
const eventOf = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ seq: z.number().int(), ts: z.number(), type: z.literal(type), ...shape });

export const EventSchema = z
  .discriminatedUnion("type", [
    eventOf("RunStarted", {
      workflow: z.string(),
      input: Json,
      version: z.number().int(),
      format: z.number().int().optional(),
      flags: z
        .array(z.string())
        .optional()
        .meta({ description: "The behaviour flags the run decides by, recorded when it started." }),
    }),
    eventOf("StateUpdated", { stepId: z.string().optional(), payload: Json }),
    eventOf("ActionRequested", { actionId: z.string(), action: ActionSchema }),
    eventOf("ActionAttemptFailed", {
      actionId: z.string(),
      attempt: z.number().int(),
      error: ActionErrorSchema,
      retryAt: z.number().optional(),
    }),
    eventOf("ActionSucceeded", { actionId: z.string(), output: Json }),
    eventOf("ActionFailed", { actionId: z.string(), error: ActionErrorSchema }),
    eventOf("Interrupted", { interruptId: z.string(), value: Json }),
    eventOf("Resumed", { interruptId: z.string().optional(), value: Json }),
    eventOf("SignalReceived", { name: z.string(), value: Json, signalId: z.string() }),
    eventOf("Completed", { output: Json.optional() }),
    eventOf("Cancelled", { reason: z.string() }),
    eventOf("Forked", { fromRunId: z.string(), atSeq: z.number().int() }),
    eventOf("RandomDrawn", { values: z.array(z.number()) }),
  ])
  .meta({ id: "Event", description: "An event as committed: `{seq, ts, type, ...fields}`." });

export const EventsPageSchema = z
  .object({ events: z.array(EventSchema), head: z.number().int() })
  .meta({ id: "EventsPage" });

export const TimelineSchema = z
  .object({
    runId: z.string(),
    head: z.number().int(),
    startedAt: z.number().optional(),
    endedAt: z.number().optional(),
    durationMs: z.number(),
    status: z.enum([
      "running",
      "completed",
      "failed",
      "cancelled",
      "waiting_interrupt",
      "waiting_signal",
      "waiting_timer",
      "waiting_retry",
    ]),
    runStatus: z.object({ type: Status }).loose(),
    events: z.array(
      z
        .object({
          seq: z.number().int(),
          ts: z.number(),
          kind: z.string(),
          atMs: z.number(),
          label: z.string(),
        })
        .loose(),
    ),
    actions: z.array(
      z
        .object({ actionId: z.string(), type: z.string(), name: z.string(), outcome: z.string() })
        .loose(),
    ),
  })
  .meta({ id: "Timeline" });

export const VerifySchema = z
  .object({
    ok: z.boolean(),
    runId: z.string(),
    head: z.number().int(),
    hash: z.string(),
    storedHash: z.string().optional(),
    hashMatches: z.boolean().optional(),
    divergedAt: z.number().int().optional(),
    message: z.string(),
    decisions: z.number().int(),
    status: z.object({ type: Status }).loose(),
  })
  .meta({ id: "VerifyReport" });

export const WorkflowsSchema = z
  .object({
    workflows: z.array(
      z.object({
        name: z.string(),
        version: z.number().int(),
        versions: z.array(z.number().int()),
        description: z.string().optional(),
      }),
    ),
  })
  .meta({ id: "Workflows" });

export const ImportedSchema = z
  .object({ runId: z.string(), head: z.number().int(), hash: z.string() })
  .meta({ id: "ImportedRun" });

export const ResumeTokenSchema = z
  .object({
    token: z
      .string()
      .meta({ description: "Send as `Authorization: Bearer <token>` to POST /runs/{id}/resume." }),
    runId: z.string(),
    interruptId: z.string(),
    expiresAt: z.number().meta({ description: "ms since the epoch." }),
  })
  .meta({ id: "ResumeToken" });
