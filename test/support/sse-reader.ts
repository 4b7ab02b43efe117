// Reads Server-Sent Events from a response body, for the HTTP API suites in Node and workerd.

/** One Server-Sent Events message (or a comment line, as `comment`). */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** Reads SSE messages from a response body as they arrive; ends when the stream closes. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const message: SseMessage = {};
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) message.comment = line.slice(1).trim();
          else if (line.startsWith("id: ")) message.id = line.slice(4);
          else if (line.startsWith("event: ")) message.event = line.slice(7);
          else if (line.startsWith("data: "))
            message.data =
              message.data === undefined ? line.slice(6) : `${message.data}\n${line.slice(6)}`;
        }
        yield message;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Collects the event messages (not comments) of a stream until it closes. */
export async function collectEvents(body: ReadableStream<Uint8Array>): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const m of readSse(body)) if (m.event !== undefined) messages.push(m);
  return messages;
}
