import { currentFlags } from "../behaviour-flags.ts";
import { canonicalJson } from "../canonical-json.ts";
import { ConcurrencyError, KernelError, ValidationError } from "../errors.ts";
import type { HostStore } from "../event-store.ts";
import { EVENT_FORMAT, sequence } from "../events.ts";
import type { Json } from "../json.ts";
import type { Clock } from "../ports.ts";
import { summarize } from "../run-index.ts";
import { metaOf } from "../run-meta.ts";
import { parseWorkflowInput, type Workflow } from "../workflow/workflow.ts";
import type { WorkflowRegistry } from "../workflow/workflow-registry.ts";

/**
 * The workflow a start names (its newest version, or `version`).
 * @throws ValidationError for an unknown workflow, naming the ones the host has.
 */
// biome-ignore lint/suspicious/noExplicitAny: a host runs workflows of every input and state type.
export function workflowToStart(
  registry: WorkflowRegistry,
  name: string,
  version?: number,
): Workflow<any, any> {
  const workflow = registry.get(name, version);
  if (workflow) return workflow;
  const known =
    registry
      .list()
      .map((w) => w.name)
      .join(", ") || "none";
  const what = version === undefined ? name : `${name} v${version}`;
  throw new ValidationError(`unknown workflow ${what}; this host has: ${known}`);
}

/** The workflow's input as it is recorded: no input is `{}` for a declared input, else null. */
// biome-ignore lint/suspicious/noExplicitAny: see workflowToStart.
export function startInput(workflow: Workflow<any, any>, input: unknown): Json {
  const given = input === undefined ? (workflow.input ? {} : null) : input;
  return parseWorkflowInput(workflow, given) as Json;
}

/**
 * Records a run's `RunStarted` (the first event, so only one start of an id can win). Returns
 * false when the run exists already: the caller answers it as a repeat, or refuses it.
 */
export async function recordStart(
  store: HostStore,
  clock: Clock,
  runId: string,
  // biome-ignore lint/suspicious/noExplicitAny: see workflowToStart.
  workflow: Workflow<any, any>,
  input: Json,
): Promise<boolean> {
  if ((await store.getRun(runId)) || (await store.head(runId)) > 0) return false;
  const batch = sequence(
    [
      {
        type: "RunStarted",
        workflow: workflow.name,
        input,
        version: workflow.version,
        format: EVENT_FORMAT,
        flags: currentFlags(),
      },
    ],
    0,
    clock.now(),
  );
  try {
    await store.append(runId, batch, {
      expectedHead: 0,
      summary: summarize(runId, metaOf(batch), clock.now()),
    });
    return true;
  } catch (error) {
    if (ConcurrencyError.is(error)) return false;
    throw error;
  }
}

/**
 * Checks that a start of an existing run repeats the one that made it: the same workflow and the
 * same input (a new run needs a new id).
 * @throws KernelError `conflict` otherwise.
 */
export async function assertSameStart(
  store: HostStore,
  runId: string,
  existing: string,
  workflowName: string,
  input: Json,
): Promise<void> {
  if (existing !== workflowName) {
    throw new KernelError(
      "conflict",
      `run ${runId} already exists for workflow ${existing}, not ${workflowName}`,
    );
  }
  const [first] = await store.read(runId, 1, 1);
  const started = first?.event.type === "RunStarted" ? first.event.input : undefined;
  if (canonicalJson(started ?? null) !== canonicalJson(input)) {
    throw new KernelError(
      "conflict",
      `run ${runId} already exists with other input; nothing was started (a new run needs a new id)`,
    );
  }
}
