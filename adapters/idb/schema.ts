import { type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames, wrap } from "idb";
import type { RunSummary, SequencedEvent } from "../../src/index.ts";
import type { Snapshot } from "../../src/store-kit/index.ts";

/**
 * One commit's events in one record. IndexedDB's cost is per stored object, so a batch costs one
 * `put`. The key ends with the batch's last seq: the batch holding `fromSeq` is then the first key
 * at or after `[runId, fromSeq]`, and a range read is one key range with no secondary index.
 */
export interface EventBatchRecord {
  runId: string;
  firstSeq: number;
  lastSeq: number;
  events: readonly SequencedEvent[];
  /**
   * `[runId, signalId, seq]` of each `SignalReceived` of the batch, for the `bySignal` index; absent
   * from a batch without signals, which the index then leaves out.
   */
  signalKeys?: SignalKey[];
}

/** An entry of the signal index: the run, the signal id, and the seq of the event that recorded it. */
export type SignalKey = [string, string, number];

/** The signal index entries of a batch, or `undefined` when it records no signal. */
export function signalKeysOf(
  runId: string,
  events: readonly SequencedEvent[],
): SignalKey[] | undefined {
  const keys: SignalKey[] = [];
  for (const se of events) {
    if (se.event.type === "SignalReceived") keys.push([runId, se.event.signalId, se.seq]);
  }
  return keys.length > 0 ? keys : undefined;
}

/**
 * A run's head, checked by `append` with one `get`, and its summary. A run appended without a
 * summary has no `summary`, so the list indexes (all on `summary.*`) leave it out.
 */
export interface RunRecord {
  runId: string;
  head: number;
  summary?: RunSummary;
}

/** The database's object stores and indexes. */
export interface RunlogSchema extends DBSchema {
  events: { key: [string, number]; value: EventBatchRecord; indexes: { bySignal: SignalKey } };
  snapshots: { key: string; value: Snapshot };
  runs: {
    key: string;
    value: RunRecord;
    indexes: {
      byCreated: [number, string];
      byStatus: [string, number, string];
      byWake: number;
    };
  };
}

export type RunlogDb = IDBPDatabase<RunlogSchema>;
type UpgradeTx = IDBPTransaction<RunlogSchema, StoreNames<RunlogSchema>[], "versionchange">;

/**
 * Schema steps: step `i` takes the database from version `i` to `i + 1`, and an upgrade runs every
 * step after the version found. Never edit a shipped step; add one.
 */
const STEPS: ReadonlyArray<(db: RunlogDb, tx: UpgradeTx) => void> = [
  (db) => {
    db.createObjectStore("events", { keyPath: ["runId", "lastSeq"] });
    db.createObjectStore("snapshots", { keyPath: "runId" });
    const runs = db.createObjectStore("runs", { keyPath: "runId" });
    runs.createIndex("byCreated", ["summary.createdAt", "runId"]);
    runs.createIndex("byStatus", ["summary.status", "summary.createdAt", "runId"]);
    runs.createIndex("byWake", "summary.wakeAt");
  },
  // The signal index (one entry per recorded signal), filled from the batches already stored.
  (_db, tx) => {
    const events = tx.objectStore("events");
    events.createIndex("bySignal", "signalKeys", { multiEntry: true });
    const fill = async () => {
      let cursor = await events.openCursor();
      while (cursor) {
        const keys = signalKeysOf(cursor.value.runId, cursor.value.events);
        if (keys) await cursor.update({ ...cursor.value, signalKeys: keys });
        cursor = await cursor.continue();
      }
    };
    fill().catch(() => {
      try {
        tx.abort();
      } catch {
        // Already aborted: the open fails either way.
      }
    });
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = STEPS.length;

/**
 * Opens (creating or upgrading) the database through `factory`. idb's `openDB` always uses the
 * global `indexedDB`, so this is its few lines over a factory the caller chose.
 */
export async function openRunlogDb(factory: IDBFactory, name: string): Promise<RunlogDb> {
  const request = factory.open(name, SCHEMA_VERSION);
  request.addEventListener("upgradeneeded", (event) => {
    const db = wrap(request.result) as unknown as RunlogDb;
    const tx = wrap(request.transaction as IDBTransaction) as unknown as UpgradeTx;
    for (let version = event.oldVersion; version < SCHEMA_VERSION; version++)
      STEPS[version]?.(db, tx);
  });
  const db = (await wrap(request)) as unknown as RunlogDb;
  // Another tab opening a newer schema waits until every older connection closes: let it.
  db.addEventListener("versionchange", () => db.close());
  return db;
}
