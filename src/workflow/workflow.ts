import { ValidationError } from "../errors.ts";
import type { Json } from "../json.ts";
import type { Budgets } from "../policy.ts";
import type { Reducer } from "../reducer.ts";
import type { Migrations } from "../restore.ts";
import { snapshotBytesOption } from "../snapshot-cadence.ts";
import type { StepFn } from "../step.ts";
import type { SchemaLike } from "../tools/tool-types.ts";

/**
 * What an application author writes: a named, versioned step function over a state that
 * `reduce` folds from the log, starting from `init(input)`.
 */
export interface Workflow<I = Json, S = unknown> {
  readonly name: string;
  readonly version: number;
  readonly description?: string;
  /** Validates the input of `start`; a failure is a `ValidationError` naming the field. */
  readonly input?: SchemaLike<I>;
  init(input: I): S;
  readonly step: StepFn<S>;
  readonly reducer: Reducer<S>;
  /** Limits every run of this workflow gets, on top of the host's policy. */
  readonly budgets?: Budgets;
  readonly stateVersion?: number;
  readonly migrations?: Migrations<S>;
  /** Snapshot interval growth for a state that grows with the log (see `KernelOptions`). */
  readonly snapshotGrowth?: number;
  /** A byte budget for snapshot cadence (see `KernelOptions.snapshotBytes`). */
  readonly snapshotBytes?: number;
}

/** What `defineWorkflow` takes: `step` and `reduce` may be plain functions. */
export interface WorkflowDefinition<I, S> {
  name: string;
  version?: number;
  description?: string;
  input?: SchemaLike<I>;
  init: (input: I) => S;
  step: StepFn<S> | StepFn<S>["next"];
  reduce: Reducer<S> | Reducer<S>["apply"];
  budgets?: Budgets;
  stateVersion?: number;
  migrations?: Migrations<S>;
  snapshotGrowth?: number;
  snapshotBytes?: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Defines a workflow from a hand-written step function and reducer.
 * @throws ValidationError for a name that is not 1-100 of `A-Z a-z 0-9 . _ -` or a version that is
 * not a positive whole number.
 */
export function defineWorkflow<I = Json, S = unknown>(d: WorkflowDefinition<I, S>): Workflow<I, S> {
  const version = d.version ?? 1;
  if (!NAME.test(d.name)) {
    throw new ValidationError(
      `workflow name ${JSON.stringify(d.name)} must be 1-100 letters, digits, dots, dashes or underscores`,
    );
  }
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new ValidationError(
      `workflow ${d.name}: version must be a whole number >= 1, got ${String(version)}`,
    );
  }
  const step = typeof d.step === "function" ? { next: d.step } : d.step;
  const reducer = typeof d.reduce === "function" ? { apply: d.reduce } : d.reduce;
  const wf: Workflow<I, S> = {
    name: d.name,
    version,
    init: d.init,
    step,
    reducer,
    ...(d.description === undefined ? {} : { description: d.description }),
    ...(d.input === undefined ? {} : { input: d.input }),
    ...(d.budgets === undefined ? {} : { budgets: d.budgets }),
    ...(d.stateVersion === undefined ? {} : { stateVersion: d.stateVersion }),
    ...(d.migrations === undefined ? {} : { migrations: d.migrations }),
    ...(d.snapshotGrowth === undefined ? {} : { snapshotGrowth: d.snapshotGrowth }),
    ...(d.snapshotBytes === undefined
      ? {}
      : {
          snapshotBytes: snapshotBytesOption(
            d.snapshotBytes,
            `workflow ${d.name}: snapshotBytes`,
          ) as number,
        }),
  };
  return Object.freeze(wf);
}

/**
 * Checks a run's input against the workflow's schema.
 * @throws ValidationError naming the workflow and what is wrong.
 */
export function parseWorkflowInput<I, S>(workflow: Workflow<I, S>, input: unknown): I {
  if (!workflow.input) return input as I;
  const result = workflow.input.safeParse(input);
  if (!result.success) {
    throw new ValidationError(`input of workflow ${workflow.name}: ${result.error.message}`);
  }
  return result.data;
}
