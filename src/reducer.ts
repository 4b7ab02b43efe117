import type { SequencedEvent } from "./events.ts";

/** Folds committed events into state. It must be pure and return the new state. */
export interface Reducer<S> {
  apply(state: S, event: SequencedEvent): S;
}

/** The seed's reducer: the payload of each `StateUpdated` becomes the state. */
export const stateUpdatedOnlyReducer: Reducer<unknown> = {
  apply: (state, se) => (se.event.type === "StateUpdated" ? se.event.payload : state),
};

/** A reducer from a plain function. */
export function reducer<S>(apply: (state: S, event: SequencedEvent) => S): Reducer<S> {
  return { apply };
}
