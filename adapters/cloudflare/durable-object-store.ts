import {
  ConcurrencyError,
  type Event,
  type RunPage,
  type RunQuery,
  type RunSummary,
  type SequencedEvent,
  ValidationError,
} from "../../src/index.ts";
import {
  type AppendOptions,
  assertAppendable,
  type HostStore,
  type Snapshot,
} from "../../src/store-kit/index.ts";
import { type EncodedBody, encodeJson, readBody, writeChunks } from "./chunked-body.ts";
import { migrateSchema, STORE_MIGRATIONS } from "./schema.ts";
import { SqlRunIndex } from "./sql-run-index.ts";
import type { DurableObjectStorageLike, SqlStorageLike } from "./sql-storage.ts";

type EventRow = { seq: number; ts: number; body: string | null; parts: number };
type SnapshotRow = { at_seq: number; body: string | null; parts: number };

/**
 * How many event rows one read statement returns at most. A read of a long log goes page by
 * page, each page a bounded statement, so no statement holds a whole log's rows at once.
 */
export const READ_PAGE_ROWS = 1000;

/**
 * Events, snapshots, the run index and the signal index in a Durable Object's SQLite storage, each
 * commit one `transactionSync`. Holds any number of runs (a run's own object holds one). Creates
 * or migrates its schema when constructed, so construct it in the object's constructor. An event
 * or snapshot over 1 MiB as JSON is split into 1 MiB chunk rows (the platform caps a row at 2 MB);
 * past `MAX_BODY_BYTES` (16 MiB) it is refused. Writes are durable before the object's output gate
 * opens, so `durability: "strict"` needs nothing more.
 */
export class DurableObjectStore implements HostStore {
  readonly #storage: DurableObjectStorageLike;
  readonly #sql: SqlStorageLike;
  readonly #runs: SqlRunIndex;

  /** @throws KernelError (code `store`) when the storage holds a newer schema than this code. */
  constructor(storage: DurableObjectStorageLike) {
    this.#storage = storage;
    this.#sql = storage.sql;
    migrateSchema(storage, STORE_MIGRATIONS, "schema_version", (from) => {
      if (from >= 1 && from < 2) this.#fillSignalIndex();
    });
    this.#runs = new SqlRunIndex(storage.sql);
  }

  /**
   * Commits the events, with the snapshot (unless one with a higher `atSeq` is stored) and the
   * summary, in one transaction; an empty batch writes nothing.
   * @throws ValidationError for a bad batch or an oversized value, ConcurrencyError for a stale
   * `expectedHead`; nothing is written in either case.
   */
  async append(
    runId: string,
    events: readonly SequencedEvent[],
    options: AppendOptions,
  ): Promise<void> {
    assertAppendable(runId, events, options.expectedHead, options);
    const { snapshot, summary } = options;
    if (snapshot !== undefined) assertSnapshotFor(snapshot, runId);
    const bodies = events.map((se) => encodeJson(se.event, `run ${runId}: event seq ${se.seq}`));
    const snapshotBody =
      snapshot === undefined || events.length === 0
        ? undefined
        : encodeJson(snapshot, `run ${runId}: the snapshot`);
    const head = this.#storage.transactionSync(() => {
      const head = this.#head(runId);
      if (head !== options.expectedHead || events.length === 0) return head;
      events.forEach((se, i) => {
        this.#insertEvent(runId, se, bodies[i] as EncodedBody);
        if (se.event.type === "SignalReceived") this.#noteSignal(runId, se.event.signalId, se.seq);
      });
      if (snapshot !== undefined && snapshotBody !== undefined) {
        this.#putSnapshot(runId, snapshot.atSeq, snapshotBody);
      }
      if (summary !== undefined) this.#runs.put(summary);
      return head;
    });
    if (head !== options.expectedHead) {
      throw new ConcurrencyError(runId, options.expectedHead, head);
    }
  }

  /**
   * Events from `fromSeq` (default 1) in ascending `seq`, at most `limit`, read in pages of
   * `READ_PAGE_ROWS` rows, each page from where the last one ended (by `seq`).
   */
  async read(
    runId: string,
    fromSeq = 1,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<SequencedEvent[]> {
    let next = Number.isNaN(fromSeq) ? 1 : Math.max(1, Math.floor(fromSeq));
    let left = Number.isNaN(limit) ? 0 : Math.max(0, Math.floor(limit));
    const out: SequencedEvent[] = [];
    while (left > 0) {
      const want = Math.min(READ_PAGE_ROWS, left);
      // A page is taken whole before its rows are parsed: parsing a chunked body runs another
      // statement, which must not interleave with an open cursor.
      const rows = this.#sql
        .exec<EventRow>(
          `SELECT seq, ts, body, parts FROM runlog_events WHERE run_id = ? AND seq >= ? ORDER BY seq LIMIT ?`,
          runId,
          next,
          want,
        )
        .toArray();
      for (const row of rows) {
        out.push({
          seq: row.seq,
          ts: row.ts,
          event: JSON.parse(readBody(this.#sql, runId, "event", row.seq, row)) as Event,
        });
        next = row.seq + 1;
      }
      if (rows.length < want) break;
      left -= rows.length;
    }
    return out;
  }

  /** The seq of the first event of the run that recorded `signalId`: one look-up in an index. */
  async signalSeq(runId: string, signalId: string): Promise<number | undefined> {
    const row = this.#sql
      .exec<{ seq: number }>(
        `SELECT seq FROM runlog_signal_ids WHERE run_id = ? AND signal_id = ?`,
        runId,
        signalId,
      )
      .toArray()[0];
    return row?.seq;
  }

  /** The last `seq` of the run, 0 when it has none. */
  async head(runId: string): Promise<number> {
    return this.#head(runId);
  }

  /**
   * The stored snapshot with the highest `atSeq`, as a fresh copy, or `undefined`. Generic so the
   * store can be a Kernel's `SnapshotStore<S>` too; the state is whatever was saved.
   */
  async loadLatest<S = unknown>(runId: string): Promise<Snapshot<S> | undefined> {
    const row = this.#sql
      .exec<SnapshotRow>(`SELECT at_seq, body, parts FROM runlog_snapshots WHERE run_id = ?`, runId)
      .toArray()[0];
    return row === undefined
      ? undefined
      : (JSON.parse(readBody(this.#sql, runId, "snapshot", 0, row)) as Snapshot<S>);
  }

  /**
   * Stores a snapshot unless one with a higher `atSeq` is there; the later save wins a tie.
   * @throws ValidationError for a snapshot without a run id or whole `atSeq`, or over 16 MiB.
   */
  async save(snapshot: Snapshot): Promise<void> {
    assertSnapshotFor(snapshot, snapshot.runId);
    const body = encodeJson(snapshot, `run ${snapshot.runId}: the snapshot`);
    this.#storage.transactionSync(() => this.#putSnapshot(snapshot.runId, snapshot.atSeq, body));
  }

  getRun(runId: string): Promise<RunSummary | undefined> {
    return this.#runs.getRun(runId);
  }

  listRuns(query?: RunQuery): Promise<RunPage> {
    return this.#runs.listRuns(query);
  }

  wakingRuns(limit?: number): Promise<RunSummary[]> {
    return this.#runs.wakingRuns(limit);
  }

  #head(runId: string): number {
    const row = this.#sql
      .exec<{ seq: number }>(
        `SELECT seq FROM runlog_events WHERE run_id = ? ORDER BY seq DESC LIMIT 1`,
        runId,
      )
      .toArray()[0];
    return row?.seq ?? 0;
  }

  #insertEvent(runId: string, se: SequencedEvent, body: EncodedBody): void {
    this.#sql.exec(
      `INSERT INTO runlog_events (run_id, seq, ts, body, parts) VALUES (?, ?, ?, ?, ?)`,
      runId,
      se.seq,
      se.ts,
      body.inline,
      body.parts.length,
    );
    writeChunks(this.#sql, runId, "event", se.seq, body);
  }

  /** Indexes a signal id at `seq` unless an earlier event of the run holds it. */
  #noteSignal(runId: string, signalId: string, seq: number): void {
    this.#sql.exec(
      `INSERT INTO runlog_signal_ids (run_id, signal_id, seq) VALUES (?, ?, ?)
       ON CONFLICT (run_id, signal_id) DO UPDATE SET seq = min(seq, excluded.seq)`,
      runId,
      signalId,
      seq,
    );
  }

  /**
   * The signal ids of the events split into chunks, which the schema step that made the index
   * cannot read with SQL alone. Runs once, inside that step's transaction.
   */
  #fillSignalIndex(): void {
    const rows = this.#sql
      .exec<{ run_id: string; seq: number; body: string | null; parts: number }>(
        `SELECT run_id, seq, body, parts FROM runlog_events WHERE body IS NULL`,
      )
      .toArray();
    for (const row of rows) {
      const event = JSON.parse(readBody(this.#sql, row.run_id, "event", row.seq, row)) as Event;
      if (event.type === "SignalReceived") this.#noteSignal(row.run_id, event.signalId, row.seq);
    }
  }

  #putSnapshot(runId: string, atSeq: number, body: EncodedBody): void {
    const current = this.#sql
      .exec<{ at_seq: number }>(`SELECT at_seq FROM runlog_snapshots WHERE run_id = ?`, runId)
      .toArray()[0];
    if (current !== undefined && current.at_seq > atSeq) return;
    this.#sql.exec(`DELETE FROM runlog_chunks WHERE run_id = ? AND kind = 'snapshot'`, runId);
    this.#sql.exec(
      `INSERT OR REPLACE INTO runlog_snapshots (run_id, at_seq, body, parts) VALUES (?, ?, ?, ?)`,
      runId,
      atSeq,
      body.inline,
      body.parts.length,
    );
    writeChunks(this.#sql, runId, "snapshot", 0, body);
  }
}

function assertSnapshotFor(snapshot: Snapshot, runId: string): void {
  if (typeof snapshot.runId !== "string" || snapshot.runId.length === 0) {
    throw new ValidationError("snapshot.runId must be a non-empty string");
  }
  if (snapshot.runId !== runId) {
    throw new ValidationError(`run ${runId}: the snapshot is for run ${snapshot.runId}`);
  }
  if (!Number.isSafeInteger(snapshot.atSeq) || snapshot.atSeq < 0) {
    throw new ValidationError(
      `run ${runId}: snapshot.atSeq must be a whole number >= 0, got ${String(snapshot.atSeq)}`,
    );
  }
}
