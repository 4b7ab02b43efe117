import { newAbortController } from "../abort.ts";
import {
  type Action,
  ActionError,
  type ActionExecutor,
  type ActionResult,
  type ExecuteContext,
} from "../actions.ts";
import { canonicalJson } from "../canonical-json.ts";
import type { Json } from "../json.ts";
import type { ToolRegistry } from "./tool-registry.ts";

/**
 * Runs `callTool` actions against a registry. An unknown tool, input the tool's schema rejects, and
 * output that is not JSON come back as final `permanent` failures (codes `unknown_tool`,
 * `invalid_input`, `invalid_output`), so an action with `onFailure: "continue"` hands them to the
 * step (an agent shows them to its model). What a handler throws propagates: an `ActionError`
 * keeps its kind, anything else counts as transient.
 */
export class ToolExecutor implements ActionExecutor {
  readonly registry: ToolRegistry;

  constructor(registry: ToolRegistry) {
    this.registry = registry;
  }

  /** @throws ActionError (permanent) for an action that is not a `callTool`. */
  async execute(runId: string, action: Action, ctx: ExecuteContext): Promise<ActionResult> {
    if (action.type !== "callTool") {
      throw ActionError.permanent(`the tool executor runs callTool actions, not ${action.type}`);
    }
    const tool = this.registry.get(action.tool);
    if (!tool) return toolFailure("unknown_tool", `unknown tool ${action.tool}`);
    const parsed = tool.input.safeParse(action.input);
    if (!parsed.success) {
      return toolFailure("invalid_input", `${tool.name}: ${describeSchemaError(parsed.error)}`);
    }
    const value: unknown = await tool.handler(parsed.data, {
      runId,
      actionId: ctx.actionId,
      attempt: ctx.attempt,
      signal: ctx.signal ?? newAbortController().signal,
    });
    const output = jsonCopy(value);
    if (!output.ok) {
      const message = `${tool.name}: its output is not JSON: ${output.reason}`;
      return toolFailure("invalid_output", message);
    }
    return { type: "success", output: output.value };
  }
}

/** A final, permanent tool failure with a code the step can branch on. */
function toolFailure(code: string, message: string): ActionResult {
  return { type: "failure", error: { kind: "permanent", message, code } };
}

/**
 * One line a model can act on: zod's `message` is a pretty-printed JSON array of issues, so when
 * the error carries `issues`, each becomes `path: message`, joined by "; ".
 */
export function describeSchemaError(error: { message: string }): string {
  const issues = (error as { issues?: unknown }).issues;
  if (!Array.isArray(issues) || issues.length === 0) return error.message;
  return issues
    .map((issue: { path?: unknown; message?: unknown } | null) => {
      const path = Array.isArray(issue?.path) ? issue.path.map(String).join(".") : "";
      const message = typeof issue?.message === "string" ? issue.message : "invalid";
      return path === "" ? message : `${path}: ${message}`;
    })
    .join("; ");
}

/** A JSON copy of a handler's output (`undefined` becomes `null`), so the log holds plain data. */
function jsonCopy(value: unknown): { ok: true; value: Json } | { ok: false; reason: string } {
  if (value === undefined) return { ok: true, value: null };
  try {
    canonicalJson(value);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, value: JSON.parse(JSON.stringify(value)) as Json };
}
