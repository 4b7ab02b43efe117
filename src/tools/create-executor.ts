import {
  type Action,
  ActionError,
  type ActionExecutor,
  type ActionResult,
  type ExecuteContext,
} from "../actions.ts";
import { LlmExecutor, type LlmProviders } from "../llm/llm-executor.ts";
import { ToolExecutor } from "./tool-executor.ts";
import { ToolRegistry } from "./tool-registry.ts";

/** Options of `createExecutor`. */
export interface ExecutorOptions {
  /** The tools `callTool` actions may name. Default: none. */
  tools?: ToolRegistry;
  /** The providers `callLLM` actions may name. Default: none. */
  providers?: LlmProviders;
}

/**
 * The executor a host hands its kernel: `callTool` goes to the tool registry (`ToolExecutor`),
 * `callLLM` to the named provider (`LlmExecutor`). `sleep` and `waitSignal` are the kernel's own
 * and never reach an executor; if one does, it throws a permanent `ActionError`.
 * @throws ValidationError when two providers in a list share a name.
 *
 * ```ts
 * const executor = createExecutor({ tools: new ToolRegistry([search]), providers: [createScriptedProvider({ script })] });
 * ```
 */
export function createExecutor(options: ExecutorOptions = {}): ActionExecutor {
  const tools = new ToolExecutor(options.tools ?? new ToolRegistry());
  const llms = new LlmExecutor(options.providers ?? []);
  return {
    async execute(runId: string, action: Action, ctx: ExecuteContext): Promise<ActionResult> {
      switch (action.type) {
        case "callTool":
          return tools.execute(runId, action, ctx);
        case "callLLM":
          return llms.execute(runId, action, ctx);
        case "sleep":
        case "waitSignal":
          throw ActionError.permanent(
            `${action.type} actions are carried out by the kernel and never reach an executor`,
          );
      }
    },
  };
}
