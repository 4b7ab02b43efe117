import type { Workflow } from "../../src/index.ts";
import { type ProviderEnv, providersFromEnv } from "./env-providers.ts";
import type { NodeHostOptions } from "./node-host.ts";
import { loadWorkflowModule } from "./workflow-module.ts";

/** Where the Node server and the CLI keep runs unless `RUNLOG_DB` says otherwise. */
export const DEFAULT_DB_PATH = "./.runlog/runlog.db";

/**
 * The options of a Node host as the environment sets them: `RUNLOG_DB` (default
 * `./.runlog/runlog.db`), the workflows of the module at `RUNLOG_WORKFLOWS` (with its tools,
 * providers, executor and policy), and the providers of `providersFromEnv`. The demos are the
 * caller's choice (`demos: true`).
 * @throws ValidationError when the workflow module cannot be loaded or a name is taken twice.
 */
export async function envHostOptions(
  env: ProviderEnv,
  overrides: { path?: string; cwd?: string } = {},
): Promise<NodeHostOptions & { path: string }> {
  const path = overrides.path ?? (env.RUNLOG_DB?.trim() || DEFAULT_DB_PATH);
  const providers = providersFromEnv(env);
  const modulePath = env.RUNLOG_WORKFLOWS?.trim();
  if (!modulePath) return { path, providers };
  const mod = await loadWorkflowModule(modulePath, overrides.cwd);
  // biome-ignore lint/suspicious/noExplicitAny: workflows of every input and state type.
  const workflows: Workflow<any, any>[] = [...mod.workflows];
  return {
    path,
    workflows,
    providers: [...providers, ...(mod.providers ?? [])],
    ...(mod.tools ? { tools: mod.tools } : {}),
    ...(mod.executor ? { executor: mod.executor } : {}),
    ...(mod.policy ? { policy: mod.policy } : {}),
  };
}
