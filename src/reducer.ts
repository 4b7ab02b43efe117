import type { SequencedEvent } from "./events.ts";

/** Folds committed events into state. It must be pure and return the new state. */
export interface Reducer<S> {
  apply(state: S, event: SequencedEvent): S;
  /**
   * Optional, for a state that keeps history the log already holds and leaves it out of its
   * snapshots (a straight-line workflow's results): makes a state a snapshot brought back whole
   * again. `history` reads the events up to the snapshot; call it only when needed.
   */
  restore?(state: S, history: () => Promise<readonly SequencedEvent[]>): S | Promise<S>;
}

/** The seed's reducer: the payload of each `StateUpdated` becomes the state. */
export const stateUpdatedOnlyReducer: Reducer<unknown> = {
  apply: (state, se) => (se.event.type === "StateUpdated" ? se.event.payload : state),
};

/** A reducer from a plain function. */
export function reducer<S>(apply: (state: S, event: SequencedEvent) => S): Reducer<S> {
  return { apply };
}
