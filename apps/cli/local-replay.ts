import {
  type Event,
  type Reducer,
  RunNotFoundError,
  type SequencedEvent,
  ValidationError,
  type VerifyReport,
  verifyRun,
  type Workflow,
  type WorkflowRegistry,
} from "../../src/index.ts";
import { hashEvents } from "../../src/store-kit/index.ts";
import type { Progress } from "./progress.ts";

// biome-ignore lint/suspicious/noExplicitAny: workflows of every input and state type.
type AnyWorkflow = Workflow<any, any>;

/** The workflow a log was started on and its initial state. */
function workflowOf(
  registry: WorkflowRegistry,
  runId: string,
  events: readonly SequencedEvent[],
): { workflow: AnyWorkflow; initial: unknown } {
  const first = events[0];
  if (!first) throw new RunNotFoundError(runId);
  const e: Event = first.event;
  if (e.type !== "RunStarted") {
    throw new ValidationError(
      `run ${runId} was not started by a host (its first event is ${e.type})`,
    );
  }
  const workflow = registry.get(e.workflow, e.version) as AnyWorkflow | undefined;
  if (!workflow) {
    const known = registry
      .list()
      .map((w) => `${w.name} v${w.version}`)
      .join(", ");
    throw new ValidationError(
      `run ${runId} is of ${e.workflow} v${e.version}, which is not known here (known: ${known}); set RUNLOG_WORKFLOWS to its module`,
    );
  }
  return { workflow, initial: workflow.init(e.input) };
}

/** A reducer that reports each event it folds as progress through the log. */
function counting<S>(
  reducer: Reducer<S>,
  head: number,
  label: string,
  progress: Progress,
): Reducer<S> {
  return {
    apply(state, se) {
      progress.count(label, se.seq, head);
      return reducer.apply(state, se);
    },
  };
}

/** Folds a log with its workflow's reducer, executing nothing. */
export function replayLog(
  registry: WorkflowRegistry,
  runId: string,
  events: readonly SequencedEvent[],
  progress: Progress,
): { runId: string; head: number; state: unknown } {
  const { workflow, initial } = workflowOf(registry, runId, events);
  const reducer = counting(workflow.reducer, events.length, "replaying", progress);
  let state = initial;
  for (const se of events) state = reducer.apply(state, se);
  progress.done();
  return { runId, head: events.length, state };
}

/** Re-drives a log's workflow over it (what `Host.verify` does), with progress. */
export async function verifyLog(
  registry: WorkflowRegistry,
  runId: string,
  events: readonly SequencedEvent[],
  progress: Progress,
): Promise<VerifyReport> {
  const { workflow, initial } = workflowOf(registry, runId, events);
  progress.update(`verifying ${events.length.toLocaleString("en-US")} events`, true);
  const report = await verifyRun({
    runId,
    initialState: initial,
    events,
    step: workflow.step,
    reducer: counting(workflow.reducer, events.length, "verifying", progress),
  });
  progress.done();
  return report;
}

/** The hash of a log, as export and verify report it. */
export const hashOf = (events: readonly SequencedEvent[]): Promise<string> => hashEvents(events);
