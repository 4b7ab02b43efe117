// Type-level only, never run: IndexedDB's records hold the core's own types, and the indexes'
// key types are the summary fields they index. `npm test` type-checks this file with the
// browser layer (test/node/static-checks.test.ts); a change to one copy alone fails to compile.
// The other copies of the event schema are tied in test/node/event-schema-copies.test.ts.
import type { RunSummary, SequencedEvent } from "runlog";
import { expectTypeOf } from "vitest";
import type { EventBatchRecord, RunlogSchema, RunRecord } from "../../adapters/idb/schema.ts";

type Indexes = RunlogSchema["runs"]["indexes"];

export function idbRecordTypes(): void {
  expectTypeOf<EventBatchRecord["events"][number]>().toEqualTypeOf<SequencedEvent>();
  expectTypeOf<RunlogSchema["events"]["value"]>().toEqualTypeOf<EventBatchRecord>();
  expectTypeOf<NonNullable<RunRecord["summary"]>>().toEqualTypeOf<RunSummary>();
  // byCreated: ["summary.createdAt", "runId"]; byStatus: ["summary.status", "summary.createdAt",
  // "runId"]; byWake: "summary.wakeAt".
  expectTypeOf<[RunSummary["createdAt"], RunSummary["runId"]]>().toEqualTypeOf<
    Indexes["byCreated"]
  >();
  expectTypeOf<[RunSummary["status"], RunSummary["createdAt"], RunSummary["runId"]]>().toExtend<
    Indexes["byStatus"]
  >();
  expectTypeOf<NonNullable<RunSummary["wakeAt"]>>().toEqualTypeOf<Indexes["byWake"]>();
}
