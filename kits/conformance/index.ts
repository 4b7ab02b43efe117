/**
 * runlog/store-kit/conformance: the contract suites every store passes, for vitest. Each test is
 * one sentence of a port's doc (atomic append, ascending `seq`, a conflict on a stale head,
 * read-your-writes, …); call the one for what your store implements inside a test file, with a
 * function that makes a fresh store (called once per test).
 *
 * ```ts
 * import { describeHostStore } from "runlog/store-kit/conformance";
 * describeHostStore("MyStore", () => MyStore.open(":memory:"));
 * ```
 */

export { describeEventStore } from "./event-store-suite.ts";
export { describeHostStore } from "./host-store-suite.ts";
export { describeSignalIndex } from "./signal-index-suite.ts";
export { describeSnapshotStore } from "./snapshot-store-suite.ts";
