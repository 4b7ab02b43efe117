import { z } from "zod";
import { jsonDepth, MAX_JSON_DEPTH } from "../../src/index.ts";
import { isRunId, isSignalName } from "../../src/store-kit/index.ts";

/**
 * The zod schemas of every path parameter, query and body the API takes. The routes validate
 * with them and the OpenAPI document is generated from them: one source for both.
 */

const RUN_ID_RULE =
  "must be 1-128 letters, digits, dots, colons, dashes or underscores, starting with a letter or digit";
const SIGNAL_RULE =
  "must be 1-100 letters, digits, dots, colons, dashes or underscores, starting with a letter or digit";

/** A run id as the core accepts it (`isRunId`), checked before any store sees it. */
export const RunIdSchema = z
  .string()
  .min(1, RUN_ID_RULE)
  .max(128, RUN_ID_RULE)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, RUN_ID_RULE)
  .refine((v) => isRunId(v), RUN_ID_RULE)
  .meta({ description: `A run id: ${RUN_ID_RULE}.`, example: "run-1" });

/** A signal name as the core accepts it (`isSignalName`). */
export const SignalNameSchema = z
  .string()
  .min(1, SIGNAL_RULE)
  .max(100, SIGNAL_RULE)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, SIGNAL_RULE)
  .refine((v) => isSignalName(v), SIGNAL_RULE)
  .meta({ description: `A signal name: ${SIGNAL_RULE}.`, example: "go" });

/**
 * Any JSON value (the body is parsed JSON, so anything here is JSON) nesting arrays and objects
 * at most `MAX_JSON_DEPTH` levels deep. Required where it is used (`null` is a value); `.optional()`
 * where it may be left out, so the OpenAPI document marks exactly the fields the server requires.
 */
export const JsonValueSchema = z
  .unknown()
  .nonoptional()
  .refine(
    (v) => jsonDepth(v, MAX_JSON_DEPTH) <= MAX_JSON_DEPTH,
    `nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep; at most ${MAX_JSON_DEPTH} are allowed`,
  )
  .meta({
    description: `Any JSON value nesting arrays and objects at most ${MAX_JSON_DEPTH} levels deep.`,
  });

/** A whole number in decimal digits only: `0x10`, `1e2`, ` 5` or `5.0` are refused, not read. */
const Digits = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,16}$/, "must be a whole number in decimal digits")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const PositiveInt = (max: number) => Digits(1, max);
const Flag = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1")
  .meta({ description: "true or false" });

export const RunParams = z.object({ id: RunIdSchema });
export const SignalParams = z.object({ id: RunIdSchema, name: SignalNameSchema });

export const WaitQuery = z.object({
  wait: Flag.optional().meta({ description: "Answer only once the run has blocked or ended." }),
});

export const ListRunsQuery = z.object({
  status: z.enum(["running", "blocked", "completed", "failed", "cancelled"]).optional(),
  limit: PositiveInt(200)
    .optional()
    .meta({ description: "At most this many runs (1-200, default 50)." }),
  cursor: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .meta({ description: "`nextCursor` of the previous page." }),
});

export const EventsQuery = z.object({
  from: PositiveInt(Number.MAX_SAFE_INTEGER)
    .optional()
    .meta({ description: "The first seq (default 1)." }),
  limit: PositiveInt(1000)
    .optional()
    .meta({ description: "At most this many events (1-1000, default 100)." }),
});

export const StreamQuery = z.object({
  from: PositiveInt(Number.MAX_SAFE_INTEGER).optional().meta({
    description: "The first seq to send (default 1); a Last-Event-ID header wins over it.",
  }),
});

export const StreamHeaders = z.object({
  "last-event-id": Digits(0, Number.MAX_SAFE_INTEGER)
    .optional()
    .meta({ description: "The seq of the last event received: the stream goes on after it." }),
});

export const SignalHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
    .optional()
    .meta({ description: "The signal's id: the same key again appends nothing." }),
});

export const ImportQuery = z.object({ runId: RunIdSchema.optional() });

export const StartRunBody = z
  .strictObject({
    workflow: z.string().min(1).max(200).meta({ example: "demo.approval" }),
    input: JsonValueSchema.optional(),
    runId: RunIdSchema.optional(),
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({ description: "A version other than the newest." }),
  })
  .meta({ id: "StartRunBody" });

export const ResumeBody = z
  .strictObject({
    value: JsonValueSchema.meta({ description: "The answer (required; null is an answer)." }),
    interruptId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: "The interrupt answered." }),
  })
  .meta({ id: "ResumeBody" });

export const SignalBody = z
  .strictObject({ value: JsonValueSchema.optional().meta({ description: "Default null." }) })
  .meta({ id: "SignalBody" });

export const CancelBody = z
  .strictObject({ reason: z.string().min(1).max(1000).optional() })
  .meta({ id: "CancelBody" });

export const ResumeTokenBody = z
  .strictObject({
    ttlSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 3600)
      .optional()
      .meta({ description: "How long the token lives (default 86400, at most 30 days)." }),
  })
  .meta({ id: "ResumeTokenBody" });

/** The events a fork may carry after the copy, in the same flat form as the API serves events. */
export const AlternateEventSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("StateUpdated"),
    stepId: z.string().max(200).optional(),
    payload: JsonValueSchema,
  }),
  z.strictObject({
    type: z.literal("Resumed"),
    interruptId: z.string().max(200).optional(),
    value: JsonValueSchema,
  }),
  z.strictObject({
    type: z.literal("SignalReceived"),
    name: SignalNameSchema,
    value: JsonValueSchema,
    signalId: z.string().min(1).max(200),
  }),
]);

export const ForkBody = z
  .strictObject({
    atSeq: z.number().int().min(1).meta({ description: "The last seq copied into the new run." }),
    newRunId: RunIdSchema.optional(),
    alternate: z.array(AlternateEventSchema).max(100).optional().meta({
      description: "Events recorded after the copy: StateUpdated, Resumed or SignalReceived.",
    }),
  })
  .meta({ id: "ForkBody" });

/** An NDJSON export, as `GET /runs/{id}/export` writes it. */
export const NdjsonSchema = z
  .string()
  .meta({ description: "A run exported as NDJSON: a header line, then one event per line." });
