import type { IDBPTransaction, StoreNames } from "idb";
import {
  ConcurrencyError,
  ErrorCode,
  KernelError,
  type RunPage,
  type RunQuery,
  type RunSummary,
  type SequencedEvent,
} from "../../src/index.ts";
import {
  type AppendOptions,
  assertAppendable,
  encodeCursor,
  type HostStore,
  parseCursor,
  type Snapshot,
} from "../../src/store-kit/index.ts";
import {
  openRunlogDb,
  type RunlogDb,
  type RunlogSchema,
  type RunRecord,
  signalKeysOf,
} from "./schema.ts";
import { commitError } from "./store-error.ts";

/**
 * How hard a commit is pushed to disk. `auto`: `strict` when the kernel asks for it (the run
 * blocks or ends), `relaxed` otherwise; `relaxed` and `strict` apply to every commit.
 */
export type IdbDurability = "relaxed" | "strict" | "auto";

/** Where and how to open an `IdbStore`. */
export interface IdbStoreOptions {
  /** The database's name. Default `runlog`. */
  name?: string;
  /** The IndexedDB to use (a fake one in Node tests). Default the global `indexedDB`. */
  indexedDB?: IDBFactory;
  /** Default `auto`. */
  durability?: IdbDurability;
}

/** A readwrite transaction over every store: what a commit or a deletion runs in. */
type CommitTx = IDBPTransaction<RunlogSchema, ["events", "snapshots", "runs"], "readwrite">;

/** A cursor over runs, whichever index it walks. */
type RunCursor = { value: RunRecord; continue(): Promise<RunCursor | null> } | null;

/**
 * Events, snapshots and the run index in one IndexedDB database: each `append` is one readwrite
 * transaction that checks the head, writes the commit's events as one record, and the snapshot and
 * summary with them, or aborts and writes nothing.
 */
export class IdbStore implements HostStore {
  readonly #db: RunlogDb;
  readonly #keys: typeof IDBKeyRange;
  readonly #durability: IdbDurability;

  private constructor(db: RunlogDb, keys: typeof IDBKeyRange, durability: IdbDurability) {
    this.#db = db;
    this.#keys = keys;
    this.#durability = durability;
  }

  /**
   * Opens the database, creating or upgrading its schema.
   * @throws KernelError `store` when there is no IndexedDB or the database cannot be opened.
   */
  static async open(options: IdbStoreOptions = {}): Promise<IdbStore> {
    const name = options.name ?? "runlog";
    const factory = options.indexedDB ?? (typeof indexedDB === "undefined" ? undefined : indexedDB);
    // idb tells its wrappers apart with `instanceof` on the global IDB classes, so they must exist
    // even when the factory is passed in.
    if (factory === undefined || typeof IDBKeyRange === "undefined") {
      throw new KernelError(
        ErrorCode.Store,
        "IndexedDB is not available here (no indexedDB or IDBKeyRange global)",
      );
    }
    try {
      return new IdbStore(
        await openRunlogDb(factory, name),
        IDBKeyRange,
        options.durability ?? "auto",
      );
    } catch (error) {
      const message = `could not open the IndexedDB database ${name}: ${String(error)}`;
      throw new KernelError(ErrorCode.Store, message, { cause: error });
    }
  }

  /**
   * Commits a batch, and the snapshot and summary when given, in one transaction.
   * @throws ValidationError for a bad batch; ConcurrencyError when `expectedHead` is not the head;
   * KernelError `store` when IndexedDB aborts the transaction (quota exhausted, …). Each time nothing
   * is written.
   */
  async append(
    runId: string,
    events: readonly SequencedEvent[],
    options: AppendOptions,
  ): Promise<void> {
    assertAppendable(runId, events, options.expectedHead, options);
    const firstSeq = options.expectedHead + 1;
    const lastSeq = options.expectedHead + events.length;
    const what = `seq ${firstSeq}..${lastSeq}`;
    const durability =
      this.#durability === "auto" ? (options.durability ?? "relaxed") : this.#durability;
    let tx: CommitTx;
    try {
      tx = this.#commitTx(durability);
    } catch (error) {
      throw commitError(runId, what, error);
    }
    const writes: Promise<unknown>[] = [];
    const signalKeys = signalKeysOf(runId, events);
    const batch = signalKeys
      ? { runId, firstSeq, lastSeq, events, signalKeys }
      : { runId, firstSeq, lastSeq, events };
    const write = (summary: RunSummary | undefined) => {
      writes.push(
        tx.objectStore("events").put(batch),
        tx
          .objectStore("runs")
          .put(
            summary === undefined ? { runId, head: lastSeq } : { runId, head: lastSeq, summary },
          ),
      );
      if (options.snapshot) writes.push(keepLatest(tx.objectStore("snapshots"), options.snapshot));
      // Settled by an abort below when the head check fails: not an unhandled rejection.
      for (const w of writes) w.catch(() => undefined);
    };
    try {
      const current = tx.objectStore("runs").get(runId);
      // With the summary in hand, the writes go out with the head check instead of after it: the
      // transaction runs them in order and an abort on a stale head undoes them all.
      if (events.length > 0 && options.summary) write(options.summary);
      const head = (await current)?.head ?? 0;
      if (head !== options.expectedHead)
        throw new ConcurrencyError(runId, options.expectedHead, head);
      if (events.length === 0) return await tx.done;
      if (writes.length === 0) write((await current)?.summary);
      await Promise.all([...writes, tx.done]);
    } catch (error) {
      // A put that threw (say, an uncloneable value) does not stop the others from committing.
      try {
        tx.abort();
      } catch {
        // Already aborted by IndexedDB, or finished.
      }
      await tx.done.catch(() => undefined);
      throw commitError(runId, what, error);
    }
  }

  /** The run's events in ascending seq from `fromSeq`, at most `limit` of them. */
  async read(
    runId: string,
    fromSeq = 1,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<SequencedEvent[]> {
    const from = Number.isNaN(fromSeq) ? 1 : Math.max(1, Math.floor(fromSeq));
    const range = this.#keys.bound([runId, from], [runId, Number.POSITIVE_INFINITY]);
    const out: SequencedEvent[] = [];
    const take = (batch: { events: readonly SequencedEvent[] }) => {
      for (const se of batch.events) if (se.seq >= from) out.push(se);
    };
    const store = this.#reading("events");
    if (!Number.isFinite(limit)) {
      for (const batch of await store.getAll(range)) take(batch);
      return out;
    }
    const want = Math.floor(limit);
    // A cursor rather than getAll(range, want): batches hold many events, so stop at enough.
    let cursor = want > 0 ? await store.openCursor(range) : null;
    while (cursor && out.length < want) {
      take(cursor.value);
      cursor = out.length < want ? await cursor.continue() : null;
    }
    return out.slice(0, want);
  }

  /**
   * The seq of the first event of the run that recorded `signalId`: the first key of the
   * `bySignal` index in its range, without reading any batch.
   */
  async signalSeq(runId: string, signalId: string): Promise<number | undefined> {
    const range = this.#keys.bound([runId, signalId], [runId, signalId, Number.POSITIVE_INFINITY]);
    const cursor = await this.#reading("events").index("bySignal").openKeyCursor(range);
    return cursor ? (cursor.key as [string, string, number])[2] : undefined;
  }

  /** The run's last seq, 0 for an unknown run. */
  async head(runId: string): Promise<number> {
    return (await this.#reading("runs").get(runId))?.head ?? 0;
  }

  /** The snapshot with the highest `atSeq`, or `undefined`. */
  async loadLatest(runId: string): Promise<Snapshot | undefined> {
    return this.#reading("snapshots").get(runId);
  }

  /**
   * Keeps `snapshot` unless one with a higher `atSeq` is stored (the later save wins on a tie).
   * @throws KernelError `store` when IndexedDB aborts the write.
   */
  async save(snapshot: Snapshot): Promise<void> {
    try {
      const tx = this.#db.transaction("snapshots", "readwrite", { durability: "relaxed" });
      await Promise.all([keepLatest(tx.store, snapshot), tx.done]);
    } catch (error) {
      throw commitError(snapshot.runId, `the snapshot at seq ${snapshot.atSeq}`, error);
    }
  }

  /** The summary of the run's last commit, or `undefined`. */
  async getRun(runId: string): Promise<RunSummary | undefined> {
    return (await this.#reading("runs").get(runId))?.summary;
  }

  /**
   * Runs newest first (by `createdAt`, then `runId`), optionally of one status, a page at a time.
   * @throws ValidationError for a cursor no list gave out.
   */
  async listRuns(query: RunQuery = {}): Promise<RunPage> {
    const limit = Number.isNaN(query.limit)
      ? 50
      : Math.floor(Math.max(1, Math.min(query.limit ?? 50, 1000)));
    const after = parseCursor(query.cursor);
    const runs = this.#reading("runs");
    const status = query.status;
    // Walk an index backwards from just before the cursor. `[status, []]` sorts after every
    // `[status, createdAt, runId]`, since arrays sort after numbers and strings.
    let cursor = (await (status === undefined
      ? runs
          .index("byCreated")
          .openCursor(
            after ? this.#keys.upperBound([after.createdAt, after.runId], true) : null,
            "prev",
          )
      : runs
          .index("byStatus")
          .openCursor(
            this.#keys.bound(
              [status],
              after ? [status, after.createdAt, after.runId] : [status, []],
              false,
              true,
            ),
            "prev",
          ))) as RunCursor;
    const page: RunSummary[] = [];
    while (cursor && page.length < limit) {
      if (cursor.value.summary) page.push(cursor.value.summary);
      cursor = await cursor.continue();
    }
    const last = page[page.length - 1];
    return cursor && last ? { runs: page, nextCursor: encodeCursor(last) } : { runs: page };
  }

  /** Runs with a `wakeAt`, soonest first. */
  async wakingRuns(limit = 1000): Promise<RunSummary[]> {
    const count = Number.isFinite(limit) ? Math.floor(limit) : undefined;
    if (count !== undefined && !(count > 0)) return [];
    const records = await this.#reading("runs").index("byWake").getAll(null, count);
    return records.flatMap((r) => (r.summary ? [r.summary] : []));
  }

  /**
   * Deletes the run's events, snapshot and summary in one transaction.
   * @throws KernelError `store` when IndexedDB aborts it.
   */
  async deleteRun(runId: string): Promise<void> {
    try {
      const tx = this.#commitTx(this.#durability === "relaxed" ? "relaxed" : "strict");
      await Promise.all([
        tx
          .objectStore("events")
          .delete(this.#keys.bound([runId, 0], [runId, Number.POSITIVE_INFINITY])),
        tx.objectStore("snapshots").delete(runId),
        tx.objectStore("runs").delete(runId),
        tx.done,
      ]);
    } catch (error) {
      throw commitError(runId, "the deletion of the run", error);
    }
  }

  /** Closes the connection; the store cannot be used afterwards. */
  close(): void {
    this.#db.close();
  }

  /** A store in a readonly transaction of its own. */
  #reading<Name extends StoreNames<RunlogSchema>>(name: Name) {
    const tx = this.#db.transaction(name, "readonly");
    // Reads answer through their requests; a later abort of the transaction (say, site data
    // cleared while it closes) must not surface as an unhandled rejection.
    tx.done.catch(() => undefined);
    return tx.store;
  }

  #commitTx(durability: "relaxed" | "strict"): CommitTx {
    return this.#db.transaction(["events", "snapshots", "runs"], "readwrite", { durability });
  }
}

type SnapshotStoreHandle = {
  get(key: string): Promise<Snapshot | undefined>;
  put(value: Snapshot): Promise<unknown>;
};

async function keepLatest(store: SnapshotStoreHandle, snapshot: Snapshot): Promise<void> {
  const current = await store.get(snapshot.runId);
  if (!current || current.atSeq <= snapshot.atSeq) await store.put(snapshot);
}
