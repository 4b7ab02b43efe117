import type { AbortSignalLike } from "../abort.ts";
import type { Json, JsonObject } from "../json.ts";

/**
 * The slice of a schema library the core needs: zod schemas fit it as they are, and so does any
 * object with `safeParse`. The core never imports a schema library.
 */
export interface SchemaLike<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { message: string } };
}

/** What a tool handler learns besides its input. */
export interface ToolContext {
  runId: string;
  /** Stable across re-executions: pass it on as an idempotency key. */
  actionId: string;
  attempt: number;
  /**
   * Aborted when the run is cancelled while the tool runs, or its `timeoutMs` passes: pass it to
   * `fetch` (`signal: ctx.signal as AbortSignal`) or check it, and stop. The run does not wait for
   * the handler after that, and nothing it returns later is recorded.
   */
  signal: AbortSignalLike;
}

/** A tool: `needsApproval` makes agents ask a human before running it. */
export interface Tool<I = unknown, O extends Json = Json> {
  name: string;
  description: string;
  input: SchemaLike<I>;
  /** JSON Schema of the input for LLMs; derived from the schema when it can say (`toJSONSchema`). */
  parameters?: JsonObject;
  /** Runs the tool on validated input. (Method syntax, so any `Tool<I>` is also a `Tool`.) */
  handler(input: I, ctx: ToolContext): O | Promise<O>;
  needsApproval?: boolean;
}
