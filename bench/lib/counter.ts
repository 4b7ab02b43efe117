import {
  type ActionExecutor,
  type Event,
  Kernel,
  type Next,
  type Reducer,
  type StepFn,
} from "../../src/index.ts";
import type { EventStore, SnapshotStore } from "../../src/store-kit/index.ts";

/** The state of the counter run every system runs: the count, tool outputs and resumes seen. */
export interface CounterState {
  count: number;
  tools: number;
  resumes: number;
}

/** What the run does once it has counted to its target. */
export type CounterEnd = "complete" | "interrupt" | "signal";

/** The shape of the benchmark's run. */
export interface CounterOptions {
  /** Steps to count. */
  steps: number;
  /** Call a no-op tool before each count (3 events a step instead of 1). */
  tool?: boolean;
  /** Default `complete`; `interrupt` and `signal` block again after every resume or signal. */
  end?: CounterEnd;
  /** Events per decision: a step emits this many `StateUpdated` (group commit). Default 1. */
  batch?: number;
}

/** The run's state before its first event. */
export const counterStart: CounterState = { count: 0, tools: 0, resumes: 0 };

/** Folds the counter's events: a `StateUpdated` payload is the new state. */
export const counterReducer: Reducer<CounterState> = {
  apply(state, se) {
    const e = se.event;
    switch (e.type) {
      case "StateUpdated":
        return e.payload as unknown as CounterState;
      case "ActionSucceeded":
        return { count: state.count, tools: state.tools + 1, resumes: state.resumes };
      case "Resumed":
      case "SignalReceived":
        return { count: state.count, tools: state.tools, resumes: state.resumes + 1 };
      default:
        return state;
    }
  },
};

/** The counter's step: count (after a no-op tool call in the tool variant), then end. */
export function counterStep(o: CounterOptions): StepFn<CounterState> {
  const batch = Math.max(1, o.batch ?? 1);
  const end = o.end ?? "complete";
  return {
    next(s): Next {
      if (s.count >= o.steps) {
        if (end === "interrupt") return { type: "interrupt", value: s.resumes };
        if (end === "signal") return { type: "do", action: { type: "waitSignal", name: "go" } };
        return { type: "complete", output: s.count };
      }
      if (o.tool && s.tools === s.count) {
        return { type: "do", action: { type: "callTool", tool: "noop", input: s.count } };
      }
      if (batch === 1) {
        return {
          type: "emit",
          events: [{ type: "StateUpdated", payload: { ...s, count: s.count + 1 } }],
        };
      }
      const events: Event[] = [];
      const n = Math.min(batch, o.steps - s.count);
      for (let i = 1; i <= n; i++) {
        events.push({
          type: "StateUpdated",
          payload: { count: s.count + i, tools: s.tools, resumes: s.resumes },
        });
      }
      return { type: "emit", events };
    },
  };
}

/** An executor whose every tool succeeds at once with `null`. */
export const noopExecutor: ActionExecutor = {
  execute: () => ({ type: "success", output: null }),
};

/** A kernel running the counter on `store`. */
export function counterKernel(
  store: EventStore & Partial<SnapshotStore>,
  o: CounterOptions,
  extra: { snapshots?: SnapshotStore | false; snapshotEvery?: number; marks?: number[] } = {},
): Kernel<CounterState> {
  const snapshots =
    extra.snapshots === false
      ? undefined
      : (extra.snapshots ?? ("loadLatest" in store ? (store as SnapshotStore) : undefined));
  return new Kernel<CounterState>({
    events: store,
    ...(snapshots ? { snapshots } : {}),
    reducer: counterReducer,
    executor: noopExecutor,
    step: extra.marks ? timedStep(counterStep(o), extra.marks) : counterStep(o),
    ...(extra.snapshotEvery === undefined ? {} : { snapshotEvery: extra.snapshotEvery }),
  });
}

/** Events a counter run of `o` holds once it has counted (before it ends). */
export function counterEvents(o: CounterOptions): number {
  return o.steps * (o.tool ? 3 : 1);
}

/**
 * Wraps a step so that it notes the time of each call: the gaps between calls are the time of one
 * whole step (decide, commit, apply), as a run sees it.
 */
export function timedStep<S>(inner: StepFn<S>, marks: number[]): StepFn<S> {
  return {
    next(state, ctx) {
      marks.push(performance.now());
      return inner.next(state, ctx);
    },
  };
}

/** The gaps between consecutive marks. */
export function gaps(marks: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < marks.length; i++) out.push((marks[i] as number) - (marks[i - 1] as number));
  return out;
}
