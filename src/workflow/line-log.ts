/**
 * An append-only list that successive straight-line states share: each state owns a prefix of it
 * (its `count`), so adding an entry costs O(1) instead of a copy of the whole history.
 *
 * Its entries are history that the run's log already holds, so a snapshot keeps none of them: as
 * JSON (`toJSON`) and as a structured clone (the entries are private) it is `{}`, and the
 * workflow's reducer folds them back from the log on restore (`Reducer.restore`). A snapshot of a
 * straight-line run is bounded by what its state keeps besides history, not by the run's length.
 */
export class LineLog<T> {
  readonly #items: T[];

  constructor(items: T[] = []) {
    this.#items = items;
  }

  /** Entries in the shared list (a state may own fewer). */
  get length(): number {
    return this.#items.length;
  }

  /** The entry at `index`, or `undefined` past the end. */
  at(index: number): T | undefined {
    return this.#items[index];
  }

  /**
   * The list with `items` added after the first `owned` entries: this one, in place, when they are
   * all of it; otherwise a new one from a copy of that prefix (another state appended past it).
   */
  appended(owned: number, items: readonly T[]): LineLog<T> {
    const out = this.#items.length === owned ? this : new LineLog(this.#items.slice(0, owned));
    for (const item of items) out.#items.push(item);
    return out;
  }

  /** The first `count` entries, as an array of their own. */
  toArray(count = this.#items.length): T[] {
    return this.#items.slice(0, count);
  }

  /** What a snapshot stores: nothing, the log holds every entry. */
  toJSON(): Record<string, never> {
    return {};
  }
}

/** True for a list a state can use as it is (not one a snapshot brought back as `{}`). */
export function isLineLog(value: unknown): value is LineLog<unknown> {
  return value instanceof LineLog;
}
