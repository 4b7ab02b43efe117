import type { ActionExecutor } from "../actions.ts";
import { ValidationError } from "../errors.ts";
import { createMemoryHost } from "../host/memory-host.ts";
import { parseExport } from "../run-export.ts";
import type { VerifyReport } from "../verify.ts";
import type { Workflow } from "../workflow/workflow.ts";

/** What `checkGoldenLog` checks a recorded run against. */
export interface GoldenLogOptions {
  // biome-ignore lint/suspicious/noExplicitAny: workflows of every input and state type.
  workflows: Iterable<Workflow<any, any>>;
  /** The SHA-256 the log must hash to (pin it when the log is recorded). */
  hash?: string;
}

/** A golden log that replayed and verified. */
export interface GoldenLogResult {
  runId: string;
  head: number;
  hash: string;
  /** The state the log folds to. */
  state: unknown;
  report: VerifyReport;
}

/** A golden log that no longer replays: the workflow's code changed its decisions, or the log. */
export class GoldenLogError extends Error {
  readonly report: VerifyReport | undefined;
  constructor(message: string, report?: VerifyReport) {
    super(message);
    this.name = "GoldenLogError";
    this.report = report;
  }
}

/**
 * Imports a recorded run (NDJSON as `exportRun` writes it, kept beside the tests) into a memory
 * host that has `workflows` and executes nothing, then replays it and re-drives the workflow over
 * it: a change to a workflow that would decide differently on an old run fails here, with the
 * first `seq` where it differs.
 * @throws ValidationError when the log is malformed or its hash does not match its events.
 * @throws GoldenLogError when verify finds a divergence or the hash is not the pinned one.
 *
 * ```ts
 * const golden = readFileSync("test/fixtures/approval.ndjson", "utf8");
 * await checkGoldenLog(golden, { workflows: [approval], hash: "4df6a906…" });
 * ```
 */
export async function checkGoldenLog(
  ndjson: string,
  options: GoldenLogOptions,
): Promise<GoldenLogResult> {
  const executed: string[] = [];
  const never: ActionExecutor = {
    execute: (_runId, action, ctx) => {
      executed.push(`${action.type} ${ctx.actionId}`);
      return {
        type: "failure",
        error: { kind: "permanent", message: "a golden log executes nothing" },
      };
    },
  };
  const host = createMemoryHost({ workflows: options.workflows, executor: never });
  try {
    // A malformed log, or one whose hash does not match its events, is refused as it is read.
    await parseExport(ndjson);
    // The host's import re-drives the workflow over the log before it takes it: a refusal now is
    // the workflow deciding differently (or no longer registered at the log's version).
    const imported = await host.importRun(ndjson).catch((error: unknown) => {
      if (ValidationError.is(error))
        throw new GoldenLogError(`the log does not verify: ${error.message}`);
      throw error;
    });
    await host.idle(imported.runId);
    if (options.hash !== undefined && imported.hash !== options.hash) {
      throw new GoldenLogError(
        `the log hashes to ${imported.hash}, not the pinned ${options.hash}`,
      );
    }
    const report = await host.verify(imported.runId);
    if (!report.ok) throw new GoldenLogError(`the log does not verify: ${report.message}`, report);
    if (executed.length > 0) {
      throw new GoldenLogError(`the imported run went on and executed ${executed.join(", ")}`);
    }
    const state = await host.replay(imported.runId);
    return { ...imported, state, report };
  } finally {
    await host.close();
  }
}
