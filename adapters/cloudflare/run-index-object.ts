import { DurableObject } from "cloudflare:workers";
import type { RunPage, RunQuery, RunSummary } from "../../src/index.ts";
import { type RpcResult, toRpcResult } from "./rpc-result.ts";
import { migrateSchema } from "./schema.ts";
import { RUNS_TABLE_V1, SqlRunIndex } from "./sql-run-index.ts";

/** The run index's schema (key `index_schema_version`): the same runs table the stores keep. */
export const RUN_INDEX_MIGRATIONS: readonly (readonly string[])[] = [RUNS_TABLE_V1];

/** The name of the one run index object: `namespace.idFromName(RUN_INDEX_NAME)`. */
export const RUN_INDEX_NAME = "index";

/** What a run index object answers over RPC (results as data, see `RpcResult`). */
export interface RunIndexRpc {
  /** Keeps the summary unless the index holds a newer one (a higher `head`) for the run. */
  report(summary: RunSummary): Promise<RpcResult<{ head: number }>>;
  list(query?: RunQuery): Promise<RpcResult<RunPage>>;
  getRun(runId: string): Promise<RpcResult<RunSummary | null>>;
}

/**
 * The list of runs behind `GET /runs`: a SQLite-backed Durable Object (one, named
 * `RUN_INDEX_NAME`) that every run object reports its summary to after its commits. Reports may
 * arrive late, twice or out of order; the highest `head` wins. A lost report is re-sent by the
 * run's object (see `IndexReporter`).
 */
export class RunIndexObject<Env = unknown> extends DurableObject<Env> implements RunIndexRpc {
  readonly #runs: SqlRunIndex;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrateSchema(ctx.storage, RUN_INDEX_MIGRATIONS, "index_schema_version");
    this.#runs = new SqlRunIndex(ctx.storage.sql);
  }

  report(summary: RunSummary): Promise<RpcResult<{ head: number }>> {
    return toRpcResult(async () => {
      const current = await this.#runs.getRun(summary.runId);
      if (current !== undefined && current.head > summary.head) return { head: current.head };
      this.#runs.put(summary);
      return { head: summary.head };
    });
  }

  list(query: RunQuery = {}): Promise<RpcResult<RunPage>> {
    return toRpcResult(() => this.#runs.listRuns(query));
  }

  getRun(runId: string): Promise<RpcResult<RunSummary | null>> {
    return toRpcResult(async () => (await this.#runs.getRun(runId)) ?? null);
  }
}

/** The run index object of a namespace bound to `RunIndexObject`. */
export function runIndexOf(namespace: DurableObjectNamespace): RunIndexRpc {
  return namespace.get(namespace.idFromName(RUN_INDEX_NAME)) as unknown as RunIndexRpc;
}
