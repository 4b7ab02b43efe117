import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./api-error.ts";

/**
 * Refuses a body over `maxBytes` with 413 before anything reads it: by its Content-Length when
 * it has one, else by counting the bytes as they stream in.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(
        413,
        "payload_too_large",
        `the request body is over the limit of ${maxBytes} bytes`,
      );
    },
  });
}

/**
 * The body as text, refusing bytes that are not UTF-8 (400). An empty body is "".
 * @throws ApiError 400 for invalid UTF-8.
 */
export async function readText(c: Context): Promise<string> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError(400, "validation", "the request body is not valid UTF-8");
  }
}

/**
 * The body parsed as JSON, or `undefined` for an empty body. A body that is there must be sent as
 * `application/json` (415 otherwise: a plain form or text post from another site is never taken
 * for an API call).
 * @throws ApiError 400 for invalid UTF-8 or malformed JSON, 415 for another media type.
 */
export async function readJson(c: Context): Promise<unknown> {
  const text = await readText(c);
  if (text.trim() === "") return undefined;
  const type = c.req.header("content-type");
  if (type !== undefined && !/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `send the body as application/json, not ${type.slice(0, 100)}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? `: ${error.message.slice(0, 200)}` : "";
    throw new ApiError(400, "validation", `the request body is not valid JSON${detail}`);
  }
}
