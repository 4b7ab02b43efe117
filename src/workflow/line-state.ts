import type { ActionErrorData } from "../actions.ts";
import { flagsOf } from "../behaviour-flags.ts";
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
  /**
   * The behaviour flags of the run (`flagsOf` its `RunStarted`). Absent in a snapshot taken
   * before flags were kept in the state: read as none.
   */
  flags?: readonly string[];
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

/**
 * The next state. Every state is built with the same keys in the same order (the optional ones
 * only when set), so the reducer's objects keep one shape and the fold stays fast.
 */
function make<I>(
  state: LineState<I>,
  startedAt: number,
  results: LineLog<LineResult>,
  count: number,
  randoms: LineLog<number>,
  drawn: number,
  awaiting: string[] | undefined,
  arrived: Record<string, LineResult> | undefined,
): LineState<I> {
  const out: LineState<I> = { input: state.input, startedAt, results, count, randoms, drawn };
  if (state.flags !== undefined) out.flags = state.flags;
  if (awaiting !== undefined) out.awaiting = awaiting;
  if (arrived !== undefined) out.arrived = arrived;
  return out;
}

/** The state with `items` added to its results; `settled` ends the batch it was waiting on. */
function withResults<I>(state: LineState<I>, items: LineResult[], settled: boolean): LineState<I> {
  const n = state.count;
  return make(
    state,
    state.startedAt,
    state.results.appended(n, items),
    n + items.length,
    state.randoms,
    state.drawn,
    settled ? undefined : state.awaiting,
    settled ? undefined : state.arrived,
  );
}

/** The state with one more result; `settled` ends the batch it was waiting on. */
function withResult<I>(state: LineState<I>, item: LineResult, settled: boolean): LineState<I> {
  const n = state.count;
  return make(
    state,
    state.startedAt,
    state.results.pushed(n, item),
    n + 1,
    state.randoms,
    state.drawn,
    settled ? undefined : state.awaiting,
    settled ? undefined : state.arrived,
  );
}

/** Files an action's outcome: at once for a lone action, in request order once a batch is in. */
function withOutcome<I>(state: LineState<I>, actionId: string, result: LineResult): LineState<I> {
  const awaiting = state.awaiting;
  if (awaiting === undefined || !awaiting.includes(actionId))
    return withResult(state, result, false);
  // A lone action: its outcome is the next result.
  if (awaiting.length === 1 && state.arrived === undefined) return withResult(state, result, true);
  const arrived = { ...state.arrived, [actionId]: result };
  if (awaiting.some((id) => arrived[id] === undefined)) {
    const { startedAt, results, count, randoms, drawn } = state;
    return make(state, startedAt, results, count, randoms, drawn, awaiting, arrived);
  }
  return withResults(
    state,
    awaiting.map((id) => arrived[id] as LineResult),
    true,
  );
}

function apply(state: LineState<unknown>, se: SequencedEvent): LineState<unknown> {
  const e = se.event;
  const { startedAt, results, count, randoms, drawn, awaiting, arrived } = state;
  switch (e.type) {
    case "RunStarted":
      return make(
        { ...state, flags: flagsOf(e) },
        se.ts,
        results,
        count,
        randoms,
        drawn,
        awaiting,
        arrived,
      );
    case "ActionRequested": {
      const more = awaiting ? [...awaiting, e.actionId] : [e.actionId];
      return make(state, startedAt, results, count, randoms, drawn, more, arrived);
    }
    case "ActionSucceeded":
      return withOutcome(state, e.actionId, { ok: true, value: e.output, ts: se.ts });
    case "ActionFailed":
      return withOutcome(state, e.actionId, { ok: false, error: e.error, ts: se.ts });
    case "Resumed":
      return withResult(state, { ok: true, value: e.value, ts: se.ts }, false);
    case "StateUpdated":
      return withResult(state, { ok: true, value: e.payload, ts: se.ts }, false);
    case "RandomDrawn": {
      const more = randoms.appended(drawn, e.values);
      return make(
        state,
        startedAt,
        results,
        count,
        more,
        drawn + e.values.length,
        awaiting,
        arrived,
      );
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
    return make(
      state,
      state.startedAt,
      new LineLog((old.results as LineResult[]).slice(0, count)),
      count,
      new LineLog((old.randoms as number[]).slice(0, drawn)),
      drawn,
      state.awaiting,
      state.arrived,
    );
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
  return make(
    state,
    state.startedAt,
    LineLog.deferred(state.count, async () => lineResults(await fold())),
    state.count,
    LineLog.deferred(state.drawn, async () => {
      const s = await fold();
      return s.randoms.toArray(s.drawn);
    }),
    state.drawn,
    state.awaiting,
    state.arrived,
  );
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
