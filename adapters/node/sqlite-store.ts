import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import {
  ConcurrencyError,
  KernelError,
  type RunPage,
  type RunQuery,
  type RunSummary,
  type SequencedEvent,
  ValidationError,
} from "../../src/index.ts";
import {
  type AppendOptions,
  assertAppendable,
  encodeCursor,
  type HostStore,
  listLimit,
  parseCursor,
  type Snapshot,
} from "../../src/store-kit/index.ts";
import { ForeignCommits } from "./foreign-commits.ts";
import { GroupCommit } from "./group-commit.ts";
import { type RunRow, storeError, toJson, toRunRow, toSummary } from "./sqlite-rows.ts";
import { migrate } from "./sqlite-schema.ts";
import { INSERT_CHUNK, prepare, type Statements } from "./sqlite-statements.ts";
import { WalSync } from "./wal-sync.ts";

/** How many events one read statement returns at most. */
const READ_PAGE = 10_000;

/**
 * How commits reach the disk. The database runs in WAL mode with `synchronous=NORMAL`: a commit
 * survives a crash of the process but may be lost on a power cut until the WAL file is synced.
 * The store syncs it (an fsync on Node's thread pool, so the event loop goes on meanwhile) after
 * a group commit that holds an append that must be durable, and resolves those appends only then;
 * one sync makes every earlier commit durable too.
 * - `per-commit` (default): appends asked to be `strict` (the kernel asks when a run blocks or
 *   ends) resolve after the sync, the others after the commit;
 * - `strict`: every append resolves after the sync;
 * - `relaxed`: no append waits for a sync, `strict` requests included.
 */
export type SqliteDurability = "per-commit" | "strict" | "relaxed";

/** Settings of a `SqliteStore`. */
export interface SqliteTuning {
  /** Default `per-commit`. */
  durability?: SqliteDurability;
  /** How long a commit waits for another connection's write lock before failing. Default 5000. */
  busyTimeoutMs?: number;
}

/**
 * Where a `SqliteStore` keeps its data: a file path (`:memory:` for a private in-memory database)
 * or an open better-sqlite3 database, which the store configures (WAL, synchronous, busy timeout)
 * and migrates but never closes.
 */
export type SqliteStoreOptions = SqliteTuning &
  ({ path: string; database?: never } | { database: BetterSqlite3.Database; path?: never });

type SnapshotWrite = { atSeq: number; body: string };
type Commit = (
  runId: string,
  expectedHead: number,
  events: readonly SequencedEvent[],
  bodies: readonly string[],
  snapshot: SnapshotWrite | undefined,
  summary: RunRow | undefined,
) => void;

/**
 * Events, snapshots, the run index and the signal index in one SQLite database, committed
 * together in one `BEGIN IMMEDIATE` transaction: the store of the Node host. Connections in other processes may
 * share the file; a commit waits for another's write lock up to the busy timeout.
 */
export class SqliteStore implements HostStore {
  readonly #db: BetterSqlite3.Database;
  readonly #owned: boolean;
  readonly #durability: SqliteDurability;
  readonly #sql: Statements;
  readonly #commit: Commit;
  readonly #group: GroupCommit;
  readonly #wal: WalSync | undefined;
  #foreign: ForeignCommits | undefined;

  /**
   * Opens the database at `path` (creating its parent directories) and brings its schema up to date.
   * @throws KernelError with code `store` when the file cannot be opened or migrated.
   */
  static open(path: string, options: SqliteTuning = {}): SqliteStore {
    return new SqliteStore({ ...options, path });
  }

  /** @throws KernelError with code `store` when the database cannot be opened or migrated. */
  constructor(options: SqliteStoreOptions) {
    this.#durability = options.durability ?? "per-commit";
    this.#owned = options.database === undefined;
    const db = options.database === undefined ? openFile(options.path) : options.database;
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      migrate(db);
      this.#sql = prepare(db);
    } catch (error) {
      if (this.#owned) db.close();
      throw storeError(undefined, `open of ${db.name}`, error);
    }
    this.#db = db;
    this.#commit = db.transaction<Commit>(
      (runId, expectedHead, events, bodies, snapshot, summary) => {
        const head = this.#sql.head.get(runId) ?? 0;
        if (head !== expectedHead) throw new ConcurrencyError(runId, expectedHead, head);
        let i = 0;
        for (; i + INSERT_CHUNK <= events.length; i += INSERT_CHUNK) {
          const values: (string | number)[] = [];
          for (let k = i; k < i + INSERT_CHUNK; k++) {
            const se = events[k] as SequencedEvent;
            values.push(runId, se.seq, se.ts, bodies[k] as string);
          }
          this.#sql.insertEvents.run(...values);
        }
        for (; i < events.length; i++) {
          const se = events[i] as SequencedEvent;
          this.#sql.insertEvent.run(runId, se.seq, se.ts, bodies[i] as string);
        }
        for (const se of events)
          if (se.event.type === "SignalReceived")
            this.#sql.noteSignal.run(runId, se.event.signalId, se.seq);
        if (snapshot) this.#sql.saveSnapshot.run(runId, snapshot.atSeq, snapshot.body);
        if (summary) this.#sql.putRun.run(summary);
      },
    );
    const wal = db.memory ? undefined : new WalSync(`${resolve(db.name)}-wal`);
    this.#wal = wal;
    this.#group = new GroupCommit(db, wal && (() => wal.sync()), (runId, error) =>
      KernelError.is(error) ? error : storeError(runId, "append", error),
    );
  }

  /**
   * Commits the batch, and the snapshot and summary when given, all or nothing; a snapshot older
   * than the stored one is not kept. The appends of every run made in one turn of the event loop
   * share one transaction (`GroupCommit`), each in a savepoint, so one refused append fails alone.
   * `durability: "strict"` is honoured per commit (see `SqliteDurability`).
   * @throws ValidationError (nothing written) for a bad batch; ConcurrencyError (nothing written)
   * when `expectedHead` is not the head; KernelError `store` when SQLite fails (nothing written).
   */
  async append(
    runId: string,
    events: readonly SequencedEvent[],
    options: AppendOptions,
  ): Promise<void> {
    assertAppendable(runId, events, options.expectedHead, options);
    const bodies = events.map((se) => toJson(runId, `event seq ${se.seq}`, se.event));
    const snapshot = options.snapshot && snapshotWrite(runId, options.snapshot);
    const summary = options.summary && toRunRow(runId, options.summary);
    if (events.length === 0) {
      const head = await this.head(runId);
      if (head !== options.expectedHead)
        throw new ConcurrencyError(runId, options.expectedHead, head);
      return;
    }
    const strict =
      this.#durability === "strict" ||
      (this.#durability === "per-commit" && options.durability === "strict");
    const first = (events[0] as SequencedEvent).seq;
    const last = (events[events.length - 1] as SequencedEvent).seq;
    return this.#group.submit(
      runId,
      strict,
      () =>
        this.#guard(runId, "append", () =>
          this.#commit(runId, options.expectedHead, events, bodies, snapshot, summary),
        ),
      () => this.#foreign?.noteOwn(runId, first, last),
    );
  }

  /**
   * The runs that other connections to the file (other processes, other stores) appended to since
   * the last call, each with the first new seq; the first call only starts the count and answers
   * none. Cheap when nothing changed: two tiny statements (see `ForeignCommits`).
   * @throws KernelError `store` when SQLite fails.
   */
  foreignCommits(): Map<string, number> {
    return this.#guard(undefined, "foreignCommits", () => {
      if (this.#foreign === undefined) {
        this.#foreign = new ForeignCommits(this.#sql);
        return new Map<string, number>();
      }
      return this.#foreign.poll();
    });
  }

  /** Events in ascending `seq` from `fromSeq`, at most `limit` of them (all by default). */
  async read(runId: string, fromSeq = 1, limit?: number): Promise<SequencedEvent[]> {
    const from = Number.isFinite(fromSeq) ? fromSeq : 1;
    const max =
      limit === undefined || !Number.isFinite(limit) ? -1 : Math.max(0, Math.floor(limit));
    return this.#guard(runId, "read", () => {
      const out: SequencedEvent[] = [];
      let next = from;
      for (;;) {
        const want = max < 0 ? READ_PAGE : Math.min(READ_PAGE, max - out.length);
        if (want <= 0) break;
        const page = this.#sql.readPage.get(runId, next, want);
        if (page === null || page === undefined) break;
        const events = JSON.parse(page) as SequencedEvent[];
        for (const se of events) out.push(se);
        if (events.length < want) break;
        next = (events[events.length - 1] as SequencedEvent).seq + 1;
      }
      return out;
    });
  }

  /** The seq of the run's last event; 0 for an unknown run. */
  async head(runId: string): Promise<number> {
    return this.#guard(runId, "head", () => this.#sql.head.get(runId) ?? 0);
  }

  /** The seq of the first event of the run that recorded `signalId`: one look-up in an index. */
  async signalSeq(runId: string, signalId: string): Promise<number | undefined> {
    return this.#guard(runId, "signalSeq", () => this.#sql.signalSeq.get(runId, signalId));
  }

  /**
   * The snapshot with the highest `atSeq` (the later one on a tie), or `undefined`. Generic in the
   * state so that the store passes as a `Kernel<S>`'s `snapshots`.
   */
  async loadLatest<S = unknown>(runId: string): Promise<Snapshot<S> | undefined> {
    return this.#guard(runId, "loadLatest", () => {
      const body = this.#sql.loadSnapshot.get(runId);
      return body === undefined ? undefined : (JSON.parse(body) as Snapshot<S>);
    });
  }

  /**
   * Keeps `snapshot` unless the stored one has a higher `atSeq`.
   * @throws ValidationError for a snapshot without a run id or a numeric `atSeq`.
   */
  async save(snapshot: Snapshot): Promise<void> {
    const runId = snapshot?.runId;
    if (typeof runId !== "string" || runId.length === 0) {
      throw new ValidationError("a snapshot needs a non-empty runId");
    }
    const write = snapshotWrite(runId, snapshot);
    this.#guard(runId, "save", () => this.#sql.saveSnapshot.run(runId, write.atSeq, write.body));
  }

  /** The summary of the run's last commit, or `undefined`. */
  async getRun(runId: string): Promise<RunSummary | undefined> {
    return this.#guard(runId, "getRun", () => {
      const row = this.#sql.getRun.get(runId);
      return row === undefined ? undefined : toSummary(row);
    });
  }

  /**
   * Runs newest first by `createdAt`, then `runId` descending; `limit` 50 by default, at most
   * 1000. A malformed cursor is ignored (the first page), as in `MemoryRunStore`.
   */
  async listRuns(query: RunQuery = {}): Promise<RunPage> {
    const limit = listLimit(query.limit);
    const after = parseCursor(query.cursor);
    return this.#guard(undefined, "listRuns", () => {
      const sql = this.#sql;
      const rows =
        query.status === undefined
          ? after === undefined
            ? sql.listAll.all(limit + 1)
            : sql.listAllAfter.all(after.createdAt, after.runId, limit + 1)
          : after === undefined
            ? sql.listStatus.all(query.status, limit + 1)
            : sql.listStatusAfter.all(query.status, after.createdAt, after.runId, limit + 1);
      const runs = rows.slice(0, limit).map(toSummary);
      const last = runs[runs.length - 1];
      return rows.length > limit && last ? { runs, nextCursor: encodeCursor(last) } : { runs };
    });
  }

  /** Runs with a `wakeAt`, soonest first (then by `runId`); at most `limit`, 1000 by default. */
  async wakingRuns(limit = 1000): Promise<RunSummary[]> {
    const max = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 1000;
    return this.#guard(undefined, "wakingRuns", () => this.#sql.waking.all(max).map(toSummary));
  }

  /** Closes the database when the store opened it; a database passed in stays open. Idempotent. */
  close(): void {
    if (this.#db.open) this.#group.flush();
    this.#wal?.close();
    if (this.#owned && this.#db.open) this.#db.close();
  }

  /** Runs `fn`, turning any failure that is not already a kernel error into a `store` error. */
  #guard<T>(runId: string | undefined, what: string, fn: () => T): T {
    try {
      // Appends queued for this turn's group commit first: a read sees every append made before
      // it, as when each append committed at once (a host's memory is never ahead of its file).
      this.#group.flush();
      return fn();
    } catch (error) {
      if (KernelError.is(error)) throw error;
      throw storeError(runId, what, error);
    }
  }
}

function openFile(path: string): BetterSqlite3.Database {
  try {
    if (path !== ":memory:" && path !== "") mkdirSync(dirname(path), { recursive: true });
    return new BetterSqlite3(path);
  } catch (error) {
    throw storeError(undefined, `open of ${path}`, error);
  }
}

function snapshotWrite(runId: string, snapshot: Snapshot): SnapshotWrite {
  if (snapshot.runId !== runId) {
    throw new ValidationError(`run ${runId}: the snapshot is of run ${String(snapshot.runId)}`);
  }
  if (typeof snapshot.atSeq !== "number" || !Number.isFinite(snapshot.atSeq)) {
    throw new ValidationError(`run ${runId}: the snapshot's atSeq is not a number`);
  }
  return { atSeq: snapshot.atSeq, body: toJson(runId, "the snapshot", snapshot) };
}
