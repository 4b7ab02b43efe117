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
 * from a path relative to `cwd`, or a `file:` URL, and checks its exports. A TypeScript module
 * (`.ts`, `.mts`, `.cts`) loads as it is where the runtime can (Node's type stripping, or a loader
 * already in place), else through tsx, an optional peer dependency, registered only then.
 * @throws ValidationError naming the module and the export that is missing or malformed, or
 * saying what to install when a TypeScript module cannot be loaded.
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
    mod = await importModule(specifier, url);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
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

const TYPESCRIPT = /\.[cm]?ts$/;
// What Node answers for a TypeScript file it cannot run: no type stripping (Node < 22.18 without
// a flag), or syntax that stripping alone cannot remove (enums, namespaces).
const NOT_RUNNABLE = new Set(["ERR_UNKNOWN_FILE_EXTENSION", "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX"]);
let tsxRegistered: Promise<boolean> | undefined;

/** Registers tsx's loader once, for the rest of the process; false when tsx is not installed. */
function registerTsx(): Promise<boolean> {
  tsxRegistered ??= import("tsx/esm/api").then(
    (tsx: { register: () => unknown }) => {
      tsx.register();
      return true;
    },
    () => false,
  );
  return tsxRegistered;
}

// Node remembers a failed import of a URL, so TypeScript gets its loader before the first try.
async function importModule(specifier: string, url: string): Promise<Record<string, unknown>> {
  const typescript = TYPESCRIPT.test(new URL(url).pathname);
  const withTsx = typescript && (await registerTsx());
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code as string;
    if (!typescript || withTsx || !NOT_RUNNABLE.has(code)) throw error;
    throw new ValidationError(
      `cannot load the workflow module ${specifier}: it is TypeScript, which this Node (${process.version}) does not run by itself; install tsx beside runlog (npm install --save-dev tsx), use Node 22.18 or newer, or point RUNLOG_WORKFLOWS at the compiled JavaScript`,
      { cause: error },
    );
  }
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
  );
}
