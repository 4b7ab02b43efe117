import { ValidationError } from "../errors.ts";
import type { HostStore } from "../event-store.ts";
import { assertPlausibleTimes } from "../log-times.ts";
import type { Policy } from "../policy.ts";
import type { Clock } from "../ports.ts";
import { type ExportedRun, importParsed, parseExport } from "../run-export.ts";
import type { Workflow } from "../workflow/workflow.ts";
import type { WorkflowRegistry } from "../workflow/workflow-registry.ts";
import { assertRunId } from "./ids.ts";
import { checkImport } from "./import-check.ts";

/**
 * Checks an NDJSON export whole and writes it as a new run: it must start with `RunStarted` of a
 * workflow version the registry has, its times must be plausible, and every decision in it must
 * be one that workflow's code makes; the policy (`policyOf`) judges a pending call.
 * @throws ValidationError for a log that fails any check (nothing is written); KernelError
 * `conflict` when the run exists.
 */
export async function importRunText(
  store: HostStore,
  registry: WorkflowRegistry,
  clock: Clock,
  text: string,
  // biome-ignore lint/suspicious/noExplicitAny: a host runs workflows of every input and state type.
  options: { runId?: string; policyOf: (workflow: Workflow<any, any>) => Policy },
): Promise<ExportedRun> {
  const parsed = await parseExport(text);
  // The header's run id is not covered by the hash: check it like any id from outside.
  const runId = options.runId ?? parsed.header.runId;
  assertRunId(runId);
  const first = parsed.events[0]?.event;
  if (first?.type !== "RunStarted") {
    throw new ValidationError(
      `the export's first event is ${first?.type ?? "missing"}, not RunStarted: a host imports only runs a host started; nothing was imported`,
    );
  }
  const now = clock.now();
  assertPlausibleTimes(parsed.events, now);
  const workflow = registry.get(first.workflow, first.version);
  if (!workflow) {
    throw new ValidationError(
      `the export is a run of ${first.workflow} v${first.version}, which this host does not have; nothing was imported`,
    );
  }
  const then = await checkImport(
    workflow,
    options.policyOf(workflow),
    runId,
    parsed.events,
    first.input,
  );
  return importParsed(store, parsed, { runId, now, then });
}
