import type { ActionErrorData } from "../actions.ts";
import type { SequencedEvent } from "../events.ts";
import type { Json } from "../json.ts";
import type { Reducer } from "../reducer.ts";
import { isLineLog, LineLog } from "./line-log.ts";

/** One recorded result of an effect, in the order the code asked for them. */
export type LineResult =
  | { ok: true; value: Json; ts: number }
  | { ok: false; error: ActionErrorData; ts: number };

/**
 * The state of a straight-line workflow: its input and every result so far. `results` and
 * `randoms` are append-only lists that successive states share: a state owns their first `count`
 * and `drawn` entries. Snapshots store neither list (see `LineLog`): on restore the reducer folds
 * them back from the log, so a snapshot's size does not grow with the run.
 */
export interface LineState<I = Json> {
  input: I;
  startedAt: number;
  results: LineLog<LineResult>;
  /** How many entries of `results` belong to this state. */
  count: number;
  randoms: LineLog<number>;
  /** How many entries of `randoms` belong to this state. */
  drawn: number;
  /** Actions requested together and not all answered yet, in the order the code asked. */
  awaiting?: string[];
  /** Outcomes of `awaiting` actions that arrived, by action id. */
  arrived?: Record<string, LineResult>;
}

/** A new straight-line state for `input`. */
export function initLineState<I>(input: I): LineState<I> {
  return {
    input,
    startedAt: 0,
    results: new LineLog(),
    count: 0,
    randoms: new LineLog(),
    drawn: 0,
  };
}

/** The state's results as an array of their own. */
export function lineResults(state: LineState<unknown>): LineResult[] {
  return state.results.toArray(state.count);
}

/** What changes from one state to the next; the rest is carried over. */
interface Change {
  results?: LineLog<LineResult>;
  count?: number;
  randoms?: LineLog<number>;
  drawn?: number;
  startedAt?: number;
  awaiting?: string[] | undefined;
  arrived?: Record<string, LineResult> | undefined;
}

/**
 * The next state. Every state is built with the same keys in the same order (the optional ones
 * only when set), so the reducer's objects keep one shape and the fold stays fast.
 */
function next<I>(state: LineState<I>, c: Change): LineState<I> {
  const out: LineState<I> = {
    input: state.input,
    startedAt: c.startedAt ?? state.startedAt,
    results: c.results ?? state.results,
    count: c.count ?? state.count,
    randoms: c.randoms ?? state.randoms,
    drawn: c.drawn ?? state.drawn,
  };
  const awaiting = "awaiting" in c ? c.awaiting : state.awaiting;
  const arrived = "arrived" in c ? c.arrived : state.arrived;
  if (awaiting !== undefined) out.awaiting = awaiting;
  if (arrived !== undefined) out.arrived = arrived;
  return out;
}

function withResults<I>(state: LineState<I>, items: LineResult[], c: Change = {}): LineState<I> {
  const n = state.count;
  return next(state, { ...c, results: state.results.appended(n, items), count: n + items.length });
}

/** Files an action's outcome: at once for a lone action, in request order once a batch is in. */
function withOutcome<I>(state: LineState<I>, actionId: string, result: LineResult): LineState<I> {
  const awaiting = state.awaiting;
  if (awaiting === undefined || !awaiting.includes(actionId)) return withResults(state, [result]);
  if (awaiting.length === 1 && state.arrived === undefined) {
    // A lone action: its outcome is the next result.
    return withResults(state, [result], { awaiting: undefined, arrived: undefined });
  }
  const arrived = { ...state.arrived, [actionId]: result };
  if (awaiting.some((id) => arrived[id] === undefined)) return next(state, { arrived });
  return withResults(
    state,
    awaiting.map((id) => arrived[id] as LineResult),
    { awaiting: undefined, arrived: undefined },
  );
}

function apply(state: LineState<unknown>, se: SequencedEvent): LineState<unknown> {
  const e = se.event;
  switch (e.type) {
    case "RunStarted":
      return next(state, { startedAt: se.ts });
    case "ActionRequested":
      return next(state, {
        awaiting: state.awaiting ? [...state.awaiting, e.actionId] : [e.actionId],
      });
    case "ActionSucceeded":
      return withOutcome(state, e.actionId, { ok: true, value: e.output, ts: se.ts });
    case "ActionFailed":
      return withOutcome(state, e.actionId, { ok: false, error: e.error, ts: se.ts });
    case "Resumed":
      return withResults(state, [{ ok: true, value: e.value, ts: se.ts }]);
    case "StateUpdated":
      return withResults(state, [{ ok: true, value: e.payload, ts: se.ts }]);
    case "RandomDrawn": {
      const n = state.drawn;
      return next(state, {
        randoms: state.randoms.appended(n, e.values),
        drawn: n + e.values.length,
      });
    }
    default:
      return state;
  }
}

/**
 * A state a snapshot brought back, whole again: the lists a snapshot leaves out come back as
 * lists whose entries the step loads from the events up to the snapshot when its code first needs
 * them (one read for both). A snapshot written before the lists were left out (plain arrays, and
 * perhaps no `count` or `drawn`) is taken as it is.
 */
function restore(
  state: LineState<unknown>,
  history: () => Promise<readonly SequencedEvent[]>,
): LineState<unknown> {
  if (isLineLog(state.results) && isLineLog(state.randoms)) return state;
  const old = state as unknown as {
    results: unknown;
    randoms: unknown;
    count?: number;
    drawn?: number;
  };
  if (Array.isArray(old.results) && Array.isArray(old.randoms)) {
    const count = old.count ?? old.results.length;
    const drawn = old.drawn ?? old.randoms.length;
    return next(state, {
      results: new LineLog((old.results as LineResult[]).slice(0, count)),
      count,
      randoms: new LineLog((old.randoms as number[]).slice(0, drawn)),
      drawn,
    });
  }
  let folded: Promise<LineState<unknown>> | undefined;
  const fold = () => {
    folded ??= history().then(
      (events) => {
        let s = initLineState(state.input);
        for (const se of events) s = apply(s, se);
        return s;
      },
      (error: unknown) => {
        folded = undefined;
        throw error;
      },
    );
    return folded;
  };
  return next(state, {
    results: LineLog.deferred(state.count, async () => lineResults(await fold())),
    randoms: LineLog.deferred(state.drawn, async () => {
      const s = await fold();
      return s.randoms.toArray(s.drawn);
    }),
  });
}

/** Loads what a restored state still has in the log; `undefined` when it has it all. */
export function loadLine(state: LineState<unknown>): Promise<void> | undefined {
  if (state.results.loaded && state.randoms.loaded) return undefined;
  return Promise.all([state.results.ready(), state.randoms.ready()]).then(() => undefined);
}

/**
 * Folds the events that carry effect results into a straight-line state, O(1) per event; on
 * restore it folds back what a snapshot leaves out.
 */
export const lineReducer: Reducer<LineState<unknown>> = { apply, restore };
