import { MemoryEventStore, MemoryRunStore, MemorySnapshotStore } from "runlog";
import {
  describeEventStore,
  describeHostStore,
  describeSnapshotStore,
} from "runlog/store-kit/conformance";

describeEventStore("MemoryEventStore", () => new MemoryEventStore());
describeSnapshotStore("MemorySnapshotStore", () => new MemorySnapshotStore());
describeHostStore("MemoryRunStore", () => new MemoryRunStore());
