import { MemoryEventStore, MemoryRunStore, MemorySnapshotStore } from "runlog";
import type { EventStore } from "runlog/store-kit";
import {
  describeEventStore,
  describeHostStore,
  describeSnapshotStore,
} from "runlog/store-kit/conformance";
import { expect, it } from "vitest";

describeEventStore("MemoryEventStore", () => new MemoryEventStore());
describeSnapshotStore("MemorySnapshotStore", () => new MemorySnapshotStore());
describeHostStore("MemoryRunStore", () => new MemoryRunStore());

/** A store of someone else's making, with no signal index: the kernel scans its log instead. */
function withoutIndex(inner: MemoryEventStore): EventStore {
  return {
    append: (runId, events, options) => inner.append(runId, events, options),
    read: (runId, fromSeq, limit) => inner.read(runId, fromSeq, limit),
    head: (runId) => inner.head(runId),
  };
}
describeEventStore("an EventStore without signalSeq (the scan fallback)", () =>
  withoutIndex(new MemoryEventStore()),
);

it("the memory stores keep a signal index", () => {
  expect(new MemoryEventStore().signalSeq).toBeTypeOf("function");
  expect(new MemoryRunStore().signalSeq).toBeTypeOf("function");
});
