import { ValidationError } from "../errors.ts";
import type { Workflow } from "./workflow.ts";

/**
 * The workflows a host can run, by name and version. `get(name)` gives the newest version: new
 * runs start on it, while each existing run keeps the version it started with.
 */
export class WorkflowRegistry {
  // biome-ignore lint/suspicious/noExplicitAny: a registry holds workflows of every input and state type.
  readonly #byName = new Map<string, Map<number, Workflow<any, any>>>();

  // biome-ignore lint/suspicious/noExplicitAny: see above.
  constructor(workflows: Iterable<Workflow<any, any>> = []) {
    for (const wf of workflows) this.register(wf);
  }

  /**
   * Adds a workflow version.
   * @throws ValidationError when that name and version are already registered.
   */
  // biome-ignore lint/suspicious/noExplicitAny: see above.
  register(workflow: Workflow<any, any>): this {
    const versions = this.#byName.get(workflow.name) ?? new Map();
    if (versions.has(workflow.version)) {
      throw new ValidationError(
        `workflow ${workflow.name} v${workflow.version} is already registered`,
      );
    }
    versions.set(workflow.version, workflow);
    this.#byName.set(workflow.name, versions);
    return this;
  }

  /** The workflow of that name: the given version, or the newest. */
  // biome-ignore lint/suspicious/noExplicitAny: see above.
  get(name: string, version?: number): Workflow<any, any> | undefined {
    const versions = this.#byName.get(name);
    if (!versions) return undefined;
    if (version !== undefined) return versions.get(version);
    return versions.get(Math.max(...versions.keys()));
  }

  /** The registered versions of a workflow, ascending. */
  versions(name: string): number[] {
    return [...(this.#byName.get(name)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** Every workflow's newest version, by name. */
  // biome-ignore lint/suspicious/noExplicitAny: see above.
  list(): Workflow<any, any>[] {
    return [...this.#byName.keys()].sort().flatMap((name) => {
      const wf = this.get(name);
      return wf ? [wf] : [];
    });
  }
}
