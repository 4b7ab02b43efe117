import type BetterSqlite3 from "better-sqlite3";

/** One append waiting for its group. */
interface Pending {
  runId: string;
  strict: boolean;
  /** Writes the append; runs inside a savepoint of the group's transaction, throws to refuse. */
  write: () => void;
  /** Called once the group's transaction committed with this append in it. */
  committed: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
  refused?: { error: unknown };
}

/** Turns a failure of the whole group's transaction into the error one append rejects with. */
export type GroupFailure = (runId: string, error: unknown) => unknown;

/**
 * Commits the appends of every run that arrive in the same turn of the event loop in one
 * `BEGIN IMMEDIATE` transaction, each in a savepoint of its own: an append that is refused (a
 * stale head, a write SQLite rejects) is rolled back alone and fails alone, the others commit.
 * Strict appends resolve after `sync` (one fsync for the whole group, off the event loop), the
 * others right after the commit.
 */
export class GroupCommit {
  readonly #sync: (() => Promise<void>) | undefined;
  readonly #failure: GroupFailure;
  readonly #group: BetterSqlite3.Transaction<(batch: Pending[]) => void>;
  #queue: Pending[] = [];
  #scheduled: ReturnType<typeof setImmediate> | undefined;

  /** `sync` makes the commits made so far durable; without it strict appends wait for nothing. */
  constructor(
    db: BetterSqlite3.Database,
    sync: (() => Promise<void>) | undefined,
    failure: GroupFailure,
  ) {
    this.#sync = sync;
    this.#failure = failure;
    this.#group = db.transaction((batch: Pending[]) => {
      for (const pending of batch) {
        try {
          pending.write();
        } catch (error) {
          pending.refused = { error };
          // Some SQLite errors (a full disk, an I/O error) roll back the whole transaction:
          // nothing of the group is left to commit.
          if (!db.inTransaction) throw error;
        }
      }
    });
  }

  /** Queues an append for this turn's group; settles as described on the class. */
  submit(runId: string, strict: boolean, write: () => void, committed: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ runId, strict, write, committed, resolve, reject });
      // setImmediate, not a microtask: it runs after every I/O callback of this turn, so the
      // appends of all the requests and drives woken in one turn share the group.
      this.#scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits what is queued now (also called before the database closes). */
  flush(): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    try {
      // Inside a caller's transaction this is a savepoint, and that transaction's commit decides.
      this.#group.immediate(batch);
    } catch (error) {
      for (const pending of batch) {
        pending.reject(
          pending.refused ? pending.refused.error : this.#failure(pending.runId, error),
        );
      }
      return;
    }
    const durable: Pending[] = [];
    for (const pending of batch) {
      if (pending.refused) {
        pending.reject(pending.refused.error);
        continue;
      }
      pending.committed();
      if (pending.strict && this.#sync) durable.push(pending);
      else pending.resolve();
    }
    if (durable.length === 0 || !this.#sync) return;
    this.#sync().then(
      () => {
        for (const pending of durable) pending.resolve();
      },
      (error: unknown) => {
        for (const pending of durable) pending.reject(this.#failure(pending.runId, error));
      },
    );
  }
}
