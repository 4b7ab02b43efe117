import type { SequencedEvent } from "../../src/index.ts";

/**
 * A byte stream of NDJSON, one event a line, pulled from `events`: how a run object hands a watch
 * across RPC. Cancelling the stream (the watcher went away) ends the watch.
 */
export function eventStream(
  events: AsyncIterator<SequencedEvent>,
  onCancel: () => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await events.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    async cancel() {
      onCancel();
      await events.return?.(undefined);
    },
  });
}

/** The events of a stream from `eventStream`; cancels the stream when the caller stops early. */
export async function* readEventStream(
  stream: ReadableStream<Uint8Array>,
  signal?: { aborted: boolean; addEventListener(type: "abort", listener: () => void): void },
): AsyncGenerator<SequencedEvent> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const stop = () => void reader.cancel().catch(() => undefined);
  if (signal?.aborted) stop();
  signal?.addEventListener("abort", stop);
  let buffered = "";
  let done = false;
  try {
    while (!done) {
      const chunk = await reader.read();
      done = chunk.done;
      buffered += chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) if (line !== "") yield JSON.parse(line) as SequencedEvent;
    }
  } finally {
    if (!done) stop();
    else reader.releaseLock();
  }
}
