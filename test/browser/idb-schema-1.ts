// A database as IdbStore's schema version 1 left it (no signal index), holding the given batches:
// what an upgrade must fill the signal index from. Raw IndexedDB, so it runs on any factory.
import type { SequencedEvent } from "runlog";

/** Creates database `name` at version 1 with the batches (each one record, as IdbStore wrote them). */
export function createSchema1Db(
  factory: IDBFactory,
  name: string,
  batches: readonly { runId: string; events: readonly SequencedEvent[] }[],
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      const events = db.createObjectStore("events", { keyPath: ["runId", "lastSeq"] });
      db.createObjectStore("snapshots", { keyPath: "runId" });
      const runs = db.createObjectStore("runs", { keyPath: "runId" });
      runs.createIndex("byCreated", ["summary.createdAt", "runId"]);
      runs.createIndex("byStatus", ["summary.status", "summary.createdAt", "runId"]);
      runs.createIndex("byWake", "summary.wakeAt");
      const heads = new Map<string, number>();
      for (const b of batches) {
        const firstSeq = b.events[0]?.seq ?? 1;
        const lastSeq = b.events[b.events.length - 1]?.seq ?? 0;
        events.put({ runId: b.runId, firstSeq, lastSeq, events: b.events });
        heads.set(b.runId, Math.max(heads.get(b.runId) ?? 0, lastSeq));
      }
      for (const [runId, head] of heads) runs.put({ runId, head });
    };
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
  });
}
