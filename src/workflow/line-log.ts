import { KernelError } from "../errors.ts";

/**
 * An append-only list that successive straight-line states share: each state owns a prefix of it
 * (its `count`), so adding an entry costs O(1) instead of a copy of the whole history.
 *
 * Its entries are history that the run's log already holds, so a snapshot keeps none of them: as
 * JSON (`toJSON`) and as a structured clone (the entries are private) it is `{}`. A state restored
 * from a snapshot gets a list whose first entries are still in the log (`deferred`); the workflow's
 * step loads them (`ready`) before its code runs over them, so reading a run's status never reads
 * its history, and a snapshot of a straight-line run does not grow with the run.
 */
export class LineLog<T> {
  #items: T[];
  /** Leading entries not loaded yet; `#load` reads them. */
  #base: number;
  #load: (() => Promise<readonly T[]>) | undefined;
  #loading: Promise<void> | undefined;

  constructor(items: T[] = []) {
    this.#items = items;
    this.#base = 0;
    this.#load = undefined;
  }

  /** A list whose first `base` entries `load` reads when they are first needed. */
  static deferred<T>(base: number, load: () => Promise<readonly T[]>): LineLog<T> {
    const log = new LineLog<T>();
    if (base > 0) {
      log.#base = base;
      log.#load = load;
    }
    return log;
  }

  /** Entries in the shared list (a state may own fewer), loaded or not. */
  get length(): number {
    return this.#base + this.#items.length;
  }

  /** True when every entry is in memory. */
  get loaded(): boolean {
    return this.#base === 0;
  }

  /** Loads the entries still in the log; resolves at once when there are none. */
  ready(): Promise<void> {
    if (this.#base === 0) return Promise.resolve();
    // A failed read is not kept: the next call reads again.
    this.#loading ??= this.#fill().catch((error: unknown) => {
      this.#loading = undefined;
      throw error;
    });
    return this.#loading;
  }

  async #fill(): Promise<void> {
    const load = this.#load as () => Promise<readonly T[]>;
    const head = await load();
    if (this.#base === 0) return;
    if (head.length < this.#base) {
      throw new KernelError(
        "store",
        `the log holds ${head.length} results before the snapshot, which counted ${this.#base}`,
      );
    }
    this.#items = [...head.slice(0, this.#base), ...this.#items];
    this.#base = 0;
    this.#load = undefined;
  }

  /**
   * The entry at `index`, or `undefined` past the end.
   * @throws KernelError when the entry is still in the log (`await ready()` first).
   */
  at(index: number): T | undefined {
    if (index < this.#base) {
      throw new KernelError(
        "driver",
        `entry ${index} of a restored straight-line state is not loaded yet; await ready() first`,
      );
    }
    return this.#items[index - this.#base];
  }

  /**
   * The list with `items` added after the first `owned` entries: this one, in place, when they are
   * all of it; otherwise a new one from a copy of that prefix (another state appended past it).
   */
  appended(owned: number, items: readonly T[]): LineLog<T> {
    let out: LineLog<T> = this;
    if (this.length !== owned) {
      const base = Math.min(this.#base, owned);
      const load = this.#load;
      out = base > 0 && load ? LineLog.deferred(base, load) : new LineLog<T>();
      out.#items = this.#items.slice(0, owned - base);
    }
    for (const item of items) out.#items.push(item);
    return out;
  }

  /** `appended(owned, [item])`, without the array. */
  pushed(owned: number, item: T): LineLog<T> {
    if (this.length !== owned) return this.appended(owned, [item]);
    this.#items.push(item);
    return this;
  }

  /**
   * The first `count` entries, as an array of their own.
   * @throws KernelError when some are still in the log (`await ready()` first).
   */
  toArray(count = this.length): T[] {
    if (count > 0) this.at(0);
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
