import { MemoryEventStore, MemoryRunStore, MemorySnapshotStore } from "runlog";
import { describeEventStore } from "../conformance/event-store-suite.ts";
import { describeHostStore } from "../conformance/host-store-suite.ts";
import { describeSnapshotStore } from "../conformance/snapshot-store-suite.ts";

describeEventStore("MemoryEventStore", () => new MemoryEventStore());
describeSnapshotStore("MemorySnapshotStore", () => new MemorySnapshotStore());
describeHostStore("MemoryRunStore", () => new MemoryRunStore());
