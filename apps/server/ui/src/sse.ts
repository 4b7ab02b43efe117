// Server-Sent Events over fetch(), so the stream can carry the Authorization header that
// EventSource cannot send.
import { request } from "./api.ts";

/** One message of an event stream. */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/**
 * Reads the stream at `path` and calls `onMessage` per message until the server ends it or
 * `signal` aborts. Resolves when the stream ends; rejects on a network or HTTP error.
 */
export async function readEventStream(
  path: string,
  onMessage: (message: SseMessage) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await request(path, { headers: { Accept: "text/event-stream" }, signal });
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = createSseParser(onMessage);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser(value);
    }
  } finally {
    reader.releaseLock();
  }
}

/** A push parser for the text/event-stream format; feed it chunks as they come. */
export function createSseParser(onMessage: (message: SseMessage) => void): (chunk: string) => void {
  let buffer = "";
  let data: string[] = [];
  let event = "";
  let id: string | undefined;
  const dispatch = () => {
    if (data.length > 0) {
      onMessage({
        event: event || "message",
        data: data.join("\n"),
        ...(id === undefined ? {} : { id }),
      });
    }
    data = [];
    event = "";
    id = undefined;
  };
  return (chunk) => {
    buffer += chunk;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "") {
        dispatch();
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") data.push(value);
      else if (field === "event") event = value;
      else if (field === "id") id = value;
    }
  };
}
