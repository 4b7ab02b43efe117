import { ValidationError } from "../errors.ts";
import type { Event, SequencedEvent } from "../events.ts";
import type { Policy } from "../policy.ts";
import { refusalOf } from "../refusal.ts";
import { metaOf } from "../run-meta.ts";
import { verifyRun } from "../verify.ts";
import type { Workflow } from "../workflow/workflow.ts";

/**
 * Checks an imported log against the workflow's own code before anything in it is executed, and
 * answers the events to record with it. Every decision in the log must be one the workflow's step
 * makes over the recorded outcomes (`verifyRun`): a log that asks for an action its workflow never
 * asked for is refused whole. A pending tool or LLM call then passes this host's policy and
 * budgets as if it were requested here; a refusal is recorded with the import as the action's
 * failure, so it never runs. Recorded inputs from outside (signals, resumes) are taken as given.
 * @throws ValidationError when the log does not match the workflow; nothing is written.
 */
export async function checkImport(
  // biome-ignore lint/suspicious/noExplicitAny: a host runs workflows of every input and state type.
  workflow: Workflow<any, any>,
  policy: Policy,
  runId: string,
  events: readonly SequencedEvent[],
  input: unknown,
): Promise<Event[]> {
  const report = await verifyRun({
    runId,
    initialState: workflow.init(input),
    events,
    step: workflow.step,
    reducer: workflow.reducer,
  });
  if (!report.ok) {
    throw new ValidationError(
      `the export does not match workflow ${workflow.name} v${workflow.version}: ${report.message}; nothing was imported`,
    );
  }
  const meta = metaOf(events);
  const pending = meta.pending;
  if (!pending || meta.terminal) return [];
  const { action, actionId } = pending;
  if (action.type !== "callTool" && action.type !== "callLLM") return [];
  const before = metaOf(events.slice(0, pending.requestedSeq - 1));
  const refusal = await refusalOf(policy, runId, before, action, actionId);
  return refusal ? [{ type: "ActionFailed", actionId, error: refusal }] : [];
}
