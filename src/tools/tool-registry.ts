import { ValidationError } from "../errors.ts";
import type { Json, JsonObject } from "../json.ts";
import type { LlmToolSpec } from "../llm/llm-types.ts";
import type { Tool } from "./tool-types.ts";

/**
 * Returns `tool` as it is, typed: the handler's input is inferred from the schema.
 *
 * ```ts
 * const search = defineTool({
 *   name: "search", description: "Searches the web", input: z.object({ query: z.string() }),
 *   handler: ({ query }) => ({ hits: [query] }),
 * });
 * ```
 */
export function defineTool<I, O extends Json = Json>(tool: Tool<I, O>): Tool<I, O> {
  return tool;
}

/** The JSON Schema used when a tool neither gives `parameters` nor has a schema that can say. */
const ANY_OBJECT: JsonObject = { type: "object" };

/**
 * The tools a host offers, by name: the executor looks them up, agents read `specs()` for the LLM
 * and `needsApproval()` before running one.
 */
export class ToolRegistry {
  readonly #tools = new Map<string, Tool>();

  /** @throws ValidationError when two tools share a name. */
  constructor(tools: Iterable<Tool> = []) {
    for (const tool of tools) this.register(tool);
  }

  /**
   * Adds a tool and returns the registry.
   * @throws ValidationError when the name is empty or already taken.
   */
  register(tool: Tool): this {
    if (typeof tool.name !== "string" || tool.name.length === 0) {
      throw new ValidationError("a tool needs a non-empty name");
    }
    if (this.#tools.has(tool.name)) {
      throw new ValidationError(`tool "${tool.name}" is already registered`);
    }
    this.#tools.set(tool.name, tool);
    return this;
  }

  /** The tool of that name, or `undefined`. */
  get(name: string): Tool | undefined {
    return this.#tools.get(name);
  }

  /** True when a tool of that name is registered. */
  has(name: string): boolean {
    return this.#tools.has(name);
  }

  /** Every tool, in the order they were registered. */
  list(): Tool[] {
    return [...this.#tools.values()];
  }

  /** The names of every tool, in the order they were registered. */
  names(): string[] {
    return [...this.#tools.keys()];
  }

  /**
   * The tools as an LLM sees them (all, or only the named ones), with the JSON Schema of each input:
   * `parameters` when given, else the schema's own `toJSONSchema()` (zod 4 has it), else
   * `{type: "object"}`.
   * @throws ValidationError when a name is not registered.
   */
  specs(names?: Iterable<string>): LlmToolSpec[] {
    const tools = names === undefined ? this.list() : [...names].map((name) => this.#mustGet(name));
    return tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters ?? schemaOf(tool.input) ?? ANY_OBJECT,
    }));
  }

  /**
   * True when the tool is marked `needsApproval`, so an agent asks a human before running it. An
   * unknown name (a model's invention) gives false: the executor then records `unknown_tool`.
   */
  needsApproval(name: string): boolean {
    return this.#tools.get(name)?.needsApproval === true;
  }

  #mustGet(name: string): Tool {
    const tool = this.#tools.get(name);
    if (!tool) throw new ValidationError(`unknown tool "${name}"`);
    return tool;
  }
}

/**
 * The JSON Schema a schema object reports about itself, without the `$schema` key (LLM APIs want
 * the bare object), or `undefined` when it has no `toJSONSchema` method or the method fails.
 */
function schemaOf(schema: unknown): JsonObject | undefined {
  const toJSONSchema = (schema as { toJSONSchema?: unknown } | null)?.toJSONSchema;
  if (typeof toJSONSchema !== "function") return undefined;
  let out: unknown;
  try {
    out = toJSONSchema.call(schema);
  } catch {
    return undefined;
  }
  if (typeof out !== "object" || out === null || Array.isArray(out)) return undefined;
  const { $schema: _, ...rest } = out as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest)) as JsonObject;
}
