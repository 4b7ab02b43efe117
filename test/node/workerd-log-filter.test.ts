// The workers project drops the workerd lines a passing run prints on purpose, and only those.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { filterExpectedWorkerdLogs, isExpectedWorkerdLog } from "../support/workerd-log-filter.ts";

const STACK = "stack: /x/workerd@2f201f0 /x/workerd@2f20430";
const expected = [
  "exception = workerd/api/web-socket.c++:821: disconnected: WebSocket peer disconnected\n",
  `uncaught exception; exception = workerd/api/actor-state.c++:1142: failed: broken.outputGateBroken; jsg.Error: evicted by the test\n${STACK}\n`,
];
const kept = [
  "exception = kj/async-io.c++:1453: disconnected: abortRead() has been called\n",
  "uncaught exception; source = Uncaught (in promise); stack = Error: Network connection lost.\n",
  "uncaught exception; exception = workerd/api/actor-state.c++:1142: failed: broken.outputGateBroken; jsg.Error: something else\n",
  "console warning; message = Called .text() on an HTTP body which does not appear to be text.\n",
  " ✓ workers test/workers/health.test.ts (1 test)\n",
];

function collector() {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      done();
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, written };
}

describe("the workerd log filter of the workers project", () => {
  it("knows the expected lines and no others", () => {
    for (const line of expected) expect(isExpectedWorkerdLog(line), line).toBe(true);
    for (const line of kept) expect(isExpectedWorkerdLog(line), line).toBe(false);
  });

  it("drops the expected lines from a stream, passes the rest through, and undoes itself", async () => {
    const { stream, written } = collector();
    const undo = filterExpectedWorkerdLogs(stream);
    const called: string[] = [];
    for (const line of [...expected, ...kept]) stream.write(line, () => called.push(line));
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual(kept);
    // A caller waiting on its write's callback is answered for a dropped line too.
    expect(called.sort()).toEqual([...expected, ...kept].sort());

    undo();
    stream.write(expected[0] as string);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written.at(-1)).toBe(expected[0]);
  });
});
