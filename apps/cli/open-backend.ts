import { envHostOptions } from "../../adapters/node/index.ts";
import { demoWorkflows } from "../../src/demos/index.ts";
import { WorkflowRegistry } from "../../src/index.ts";
import type { Backend } from "./backend.ts";
import { UsageError } from "./exit-codes.ts";
import { HttpBackend } from "./http-backend.ts";
import { LocalBackend } from "./local-backend.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** Where the CLI finds runs, from `--db`, `--url`, `--token` and the environment. */
export interface Target {
  db?: string;
  url?: string;
  token?: string;
}

/**
 * Opens the server at `--url` (or `RUNLOG_URL`) when one is given, else the database file at
 * `--db` (or `RUNLOG_DB`, default `./.runlog/runlog.db`).
 * @throws UsageError for both `--db` and `--url`, or a URL that is not http(s).
 */
export async function openBackend(target: Target, env: Env, write: boolean): Promise<Backend> {
  if (target.db !== undefined && target.url !== undefined)
    throw new UsageError("--db and --url exclude each other");
  const url =
    target.db === undefined ? (target.url ?? (env.RUNLOG_URL?.trim() || undefined)) : undefined;
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError(`--url is not a URL: ${url}`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
      throw new UsageError(`--url must be http(s): ${url}`);
    const token = target.token ?? (env.RUNLOG_TOKEN?.trim() || undefined);
    return new HttpBackend(parsed.href, token, () => localRegistry(env));
  }
  const path = target.db ?? (env.RUNLOG_DB?.trim() || "./.runlog/runlog.db");
  return LocalBackend.open(path, env, write);
}

/** The workflows this CLI knows without a database: the demos plus `RUNLOG_WORKFLOWS`'s. */
export async function localRegistry(env: Env): Promise<WorkflowRegistry> {
  const options = await envHostOptions(env);
  return new WorkflowRegistry([...demoWorkflows, ...(options.workflows ?? [])]);
}
