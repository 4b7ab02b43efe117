// The workers project's global setup (it runs in vitest's own process, where the pool prints what
// workerd logs). A passing run printed about twenty `exception = workerd/...` lines, every one of
// them expected: this drops exactly those and lets everything else through, so a line that does
// appear is worth reading.

/**
 * workerd log lines a passing run produces on purpose, each with why. Matched as substrings of
 * one write (the pool writes a message and its stack in one call).
 */
export const EXPECTED_WORKERD_LOGS: ReadonlyArray<{ text: string; why: string }> = [
  {
    text: "workerd/api/web-socket.c++:821: disconnected: WebSocket peer disconnected",
    why: "the pool closes its socket to the test runner at the end of every test file",
  },
  {
    text: "broken.outputGateBroken; jsg.Error: evicted by the test",
    why: "tests evict a Durable Object on purpose (state.abort) to prove it recovers from storage",
  },
];

/** Whether `text` (one write to stdout or stderr) is a workerd line a passing run produces. */
export function isExpectedWorkerdLog(text: string): boolean {
  return EXPECTED_WORKERD_LOGS.some((expected) => text.includes(expected.text));
}

type Write = typeof process.stderr.write;

/** Wraps a stream's `write` so that expected workerd lines are dropped; answers the undo. */
export function filterExpectedWorkerdLogs(stream: NodeJS.WriteStream): () => void {
  const write = stream.write;
  const filtered = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString() : "";
    if (isExpectedWorkerdLog(text)) {
      const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
      callback?.();
      return true;
    }
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Write;
  stream.write = filtered;
  return () => {
    if (stream.write === filtered) stream.write = write;
  };
}

/** Vitest global setup: filter while the project runs, restore after. */
export function setup(): () => void {
  const undo = [
    filterExpectedWorkerdLogs(process.stdout),
    filterExpectedWorkerdLogs(process.stderr),
  ];
  return () => {
    for (const restore of undo) restore();
  };
}
