import type { ActionErrorData } from "../actions.ts";
import type { SequencedEvent } from "../events.ts";
import type { Json } from "../json.ts";
import type { Reducer } from "../reducer.ts";

/** One recorded result of an effect, in the order the code asked for them. */
export type LineResult =
  | { ok: true; value: Json; ts: number }
  | { ok: false; error: ActionErrorData; ts: number };

/**
 * The state of a straight-line workflow: its input and every result so far. `results` and
 * `randoms` are append-only arrays that successive states share: a state owns their first
 * `count` and `drawn` entries (read them with `lineResults` / `lineRandoms`), so adding one result
 * costs O(1) instead of a copy of the whole history.
 */
export interface LineState<I = Json> {
  input: I;
  startedAt: number;
  results: LineResult[];
  /** How many entries of `results` belong to this state (absent in states from before it existed). */
  count?: number;
  randoms: number[];
  /** How many entries of `randoms` belong to this state. */
  drawn?: number;
  /** Actions requested together and not all answered yet, in the order the code asked. */
  awaiting?: string[];
  /** Outcomes of `awaiting` actions that arrived, by action id. */
  arrived?: Record<string, LineResult>;
}

/** A new straight-line state for `input`. */
export function initLineState<I>(input: I): LineState<I> {
  return { input, startedAt: 0, results: [], count: 0, randoms: [], drawn: 0 };
}

/** How many results the state has. */
export function resultCount(state: LineState<unknown>): number {
  return state.count ?? state.results.length;
}

/** How many recorded random values the state has. */
export function randomCount(state: LineState<unknown>): number {
  return state.drawn ?? state.randoms.length;
}

/** The state's results as their own array (a copy when the shared one has grown past them). */
export function lineResults(state: LineState<unknown>): LineResult[] {
  const n = resultCount(state);
  return state.results.length === n ? state.results : state.results.slice(0, n);
}

/**
 * Adds items to an append-only array that several states share: in place when this state owns
 * the whole array, otherwise onto a copy of its own prefix (another state appended past it).
 */
function appended<T>(array: T[], owned: number, items: readonly T[]): T[] {
  const out = array.length === owned ? array : array.slice(0, owned);
  for (const item of items) out.push(item);
  return out;
}

/** What changes from one state to the next; the rest is carried over. */
interface Change {
  results?: LineResult[];
  count?: number;
  randoms?: number[];
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
    count: c.count ?? resultCount(state),
    randoms: c.randoms ?? state.randoms,
    drawn: c.drawn ?? randomCount(state),
  };
  const awaiting = "awaiting" in c ? c.awaiting : state.awaiting;
  const arrived = "arrived" in c ? c.arrived : state.arrived;
  if (awaiting !== undefined) out.awaiting = awaiting;
  if (arrived !== undefined) out.arrived = arrived;
  return out;
}

function withResults<I>(state: LineState<I>, items: LineResult[], c: Change = {}): LineState<I> {
  const n = resultCount(state);
  return next(state, { ...c, results: appended(state.results, n, items), count: n + items.length });
}

function withResult<I>(state: LineState<I>, item: LineResult): LineState<I> {
  const n = resultCount(state);
  const results = state.results.length === n ? state.results : state.results.slice(0, n);
  results.push(item);
  return next(state, { results, count: n + 1 });
}

/** Files an action's outcome: at once for a lone action, in request order once a batch is in. */
function withOutcome<I>(state: LineState<I>, actionId: string, result: LineResult): LineState<I> {
  const awaiting = state.awaiting;
  if (awaiting === undefined || !awaiting.includes(actionId)) return withResult(state, result);
  if (awaiting.length === 1 && state.arrived === undefined) {
    // A lone action: its outcome is the next result.
    const n = resultCount(state);
    const results = state.results.length === n ? state.results : state.results.slice(0, n);
    results.push(result);
    return next(state, { results, count: n + 1, awaiting: undefined, arrived: undefined });
  }
  const arrived = { ...state.arrived, [actionId]: result };
  if (awaiting.some((id) => arrived[id] === undefined)) return next(state, { arrived });
  return withResults(
    state,
    awaiting.map((id) => arrived[id] as LineResult),
    { awaiting: undefined, arrived: undefined },
  );
}

/** Folds the events that carry effect results into a straight-line state, O(1) per event. */
export const lineReducer: Reducer<LineState<unknown>> = {
  apply(state: LineState<unknown>, se: SequencedEvent): LineState<unknown> {
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
        return withResult(state, { ok: true, value: e.value, ts: se.ts });
      case "StateUpdated":
        return withResult(state, { ok: true, value: e.payload, ts: se.ts });
      case "RandomDrawn": {
        const n = randomCount(state);
        return next(state, {
          randoms: appended(state.randoms, n, e.values),
          drawn: n + e.values.length,
        });
      }
      default:
        return state;
    }
  },
};
