import {
  type Action,
  type ActionExecutor,
  type ActionResult,
  type Event,
  Kernel,
  type KernelOptions,
  MemoryEventStore,
  type Next,
  type RuntimeEffect,
  type Scheduler,
  type SequencedEvent,
  type StepFn,
  stateUpdatedOnlyReducer,
} from "runlog";
import { type EventStore, sequence } from "runlog/store-kit";
import { ManualClock } from "runlog/testing";

/** The seed's `TestState(u32)`: state is a number. */
export type TestState = number;

/** A scheduler that does not wait: backoffs in tests cost no time. */
export const instantScheduler: Scheduler = { sleep: async () => {} };

/** The seed's `NoopActionExecutor`. */
export const noopExecutor: ActionExecutor = { execute: () => ({ type: "success", output: null }) };

/** The seed's `NoopStepFn`: completes at once. */
export const noopStep: StepFn<TestState> = { next: () => ({ type: "complete" }) };

/** Counts calls and always throws a non-action error (the seed's `CountingActionExecutor`). */
export class CountingExecutor implements ActionExecutor {
  calls = 0;
  execute(): ActionResult {
    this.calls += 1;
    throw new Error("mock");
  }
}

/** Plays back a list of responses; a thrown `Error` in the list is thrown (the seed's `ScriptedActionExecutor`). */
export class ScriptedExecutor implements ActionExecutor {
  calls = 0;
  readonly seen: { action: Action; actionId: string; attempt: number }[] = [];
  readonly #responses: (ActionResult | Error)[];
  constructor(responses: (ActionResult | Error)[]) {
    this.#responses = [...responses];
  }
  execute(
    _runId: string,
    action: Action,
    ctx: { actionId: string; attempt: number },
  ): ActionResult {
    this.calls += 1;
    this.seen.push({ action, actionId: ctx.actionId, attempt: ctx.attempt });
    const next = this.#responses.shift();
    if (next === undefined) throw new Error("missing scripted response");
    if (next instanceof Error) throw next;
    return next;
  }
}

/** A step that plays decisions in order, then completes (the seed's once-then-complete steps). */
export class SequenceStep implements StepFn<TestState> {
  calls = 0;
  readonly #decisions: Next[];
  constructor(decisions: Next[]) {
    this.#decisions = decisions;
  }
  next(): Next {
    const decision = this.#decisions[this.calls] ?? { type: "complete" };
    this.calls += 1;
    return decision;
  }
}

/** Collects effects (the seed's `CollectingEffectSink`). */
export class CollectingSink {
  readonly effects: { runId: string; effect: RuntimeEffect }[] = [];
  record(runId: string, effect: RuntimeEffect): void {
    this.effects.push({ runId, effect });
  }
}

/** A kernel with the seed's defaults, every part overridable. */
export function makeKernel(overrides: Partial<KernelOptions<TestState>> = {}): Kernel<TestState> {
  return new Kernel<TestState>({
    events: new MemoryEventStore(),
    reducer: stateUpdatedOnlyReducer as KernelOptions<TestState>["reducer"],
    executor: noopExecutor,
    step: noopStep,
    scheduler: instantScheduler,
    clock: new ManualClock(1_700_000_000_000),
    ...overrides,
  });
}

/** Appends raw events to a run at its head, as the seed's tests do with `store.append`. */
export async function seedLog(
  store: EventStore,
  runId: string,
  events: Event[],
  ts = 1_700_000_000_000,
): Promise<void> {
  const head = await store.head(runId);
  await store.append(runId, sequence(events, head, ts), { expectedHead: head });
}

/** Counts events of one type. */
export function count(events: readonly SequencedEvent[], type: Event["type"]): number {
  return events.filter((se) => se.event.type === type).length;
}
