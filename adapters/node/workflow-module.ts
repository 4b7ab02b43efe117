import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type ActionExecutor,
  type LlmProvider,
  type Policy,
  type Tool,
  ToolRegistry,
  ValidationError,
  type Workflow,
} from "../../src/index.ts";

/**
 * What a workflow module gives a Node host: `workflows` (required), and optionally `tools` (added
 * to the demo tools), `providers` (added to the scripted one), a whole `executor` instead of the
 * default one, and a `policy`.
 */
export interface WorkflowModule {
  // biome-ignore lint/suspicious/noExplicitAny: a host runs workflows of every input and state type.
  workflows: Workflow<any, any>[];
  tools?: Tool[];
  providers?: LlmProvider[];
  executor?: ActionExecutor;
  policy?: Policy;
}

/**
 * Imports a module of extra workflows (how `RUNLOG_WORKFLOWS` extends the server and the CLI)
 * from a path relative to `cwd`, or a `file:` URL, and checks its exports. A `.ts` module needs a
 * TypeScript loader, which `npm start` and the CLI have (tsx).
 * @throws ValidationError naming the module and the export that is missing or malformed.
 */
export async function loadWorkflowModule(
  specifier: string,
  cwd: string = process.cwd(),
): Promise<WorkflowModule> {
  const url = specifier.startsWith("file:")
    ? specifier
    : pathToFileURL(isAbsolute(specifier) ? specifier : resolve(cwd, specifier)).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new ValidationError(
      `cannot load the workflow module ${specifier}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const bad = (what: string) => new ValidationError(`the workflow module ${specifier} ${what}`);
  const workflows = mod.workflows;
  if (!isIterable(workflows)) throw bad("has no `workflows` export (an array of workflows)");
  const list = [...workflows] as WorkflowModule["workflows"];
  for (const w of list) {
    if (!w || typeof w !== "object" || typeof (w as { name?: unknown }).name !== "string") {
      throw bad("exports `workflows` holding something that is not a workflow");
    }
  }
  const out: WorkflowModule = { workflows: list };
  if (mod.tools !== undefined) {
    if (mod.tools instanceof ToolRegistry) out.tools = mod.tools.list();
    else if (isIterable(mod.tools)) out.tools = [...mod.tools] as Tool[];
    else throw bad("exports `tools` that is neither an array nor a ToolRegistry");
  }
  if (mod.providers !== undefined) {
    if (!isIterable(mod.providers)) throw bad("exports `providers` that is not an array");
    out.providers = [...mod.providers] as LlmProvider[];
  }
  if (mod.executor !== undefined) {
    if (typeof (mod.executor as ActionExecutor | null)?.execute !== "function") {
      throw bad("exports an `executor` without an execute method");
    }
    out.executor = mod.executor as ActionExecutor;
  }
  if (mod.policy !== undefined) {
    const p = mod.policy as Policy | null;
    if (typeof p?.authorize !== "function" || typeof p.retryDecision !== "function") {
      throw bad("exports a `policy` without authorize and retryDecision");
    }
    out.policy = p;
  }
  return out;
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
  );
}
