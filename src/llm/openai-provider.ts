import type { AbortSignalLike } from "../abort.ts";
import { ActionError } from "../actions.ts";
import type { LlmProvider, LlmRequest, LlmResponse } from "./llm-types.ts";
import { fromChatCompletionsBody, toChatCompletionsBody } from "./openai-wire.ts";
import { retryAfterMs } from "./retry-after.ts";

/**
 * What the provider hands to `fetch`. `signal` is typed `never` so that every runtime's own `fetch`
 * fits `FetchLike`; at run time it is an `AbortSignal` wherever `AbortController` exists.
 */
export type FetchInit = {
  method: string;
  headers: Record<string, string>;
  body: string;
  signal?: never;
};

/** The slice of a fetch `Response` the provider reads. */
export interface FetchResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The slice of `fetch` the provider uses; the global `fetch` of browsers, Workers and Node fits. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponseLike>;

/** Options of `createOpenAIProvider`. */
export interface OpenAIProviderOptions {
  /** The name `callLLM` actions use. Default `openai`. */
  name?: string;
  /** Up to the version, e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  /** The model unless a request names one. */
  model: string;
  /** Sent as `Authorization: Bearer …`. Hosts read it from `OPENAI_API_KEY` and pass it in. */
  apiKey?: string;
  /** Default: the global `fetch`, looked up at call time. */
  fetch?: FetchLike;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Abandon a call (a transient failure) after this many ms. Default 60 000. */
  timeoutMs?: number;
  /** The clock for `Retry-After` dates. Default `Date.now`. */
  now?: () => number;
}

declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(timer: unknown): void;
type AbortControllerLike = { readonly signal: unknown; abort(): void };

/**
 * An LLM behind an OpenAI-compatible chat-completions endpoint, over `fetch`. Failures are thrown
 * as `ActionError`s: 429 is `rateLimited` with `retryAfterMs` from `retry-after-ms` or
 * `Retry-After` (seconds or an HTTP date); 408, 5xx, network errors and timeouts are `transient`;
 * other 4xx are `permanent`. Messages name the status and the server's message, never the key.
 *
 * ```ts
 * const llm = createOpenAIProvider({ baseUrl: "https://api.openai.com/v1", model: "gpt-4o-mini", apiKey });
 * ```
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): LlmProvider {
  const name = options.name ?? "openai";
  const url = `${options.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const now = options.now ?? (() => Date.now());
  const redact = (text: string): string =>
    options.apiKey ? text.split(options.apiKey).join("[redacted]") : text;
  const fail: Fail = (kind, message, cause) =>
    new ActionError(kind, redact(`${name}: ${message}`), cause === undefined ? {} : { cause });

  return {
    name,
    async complete(
      request: LlmRequest,
      ctx?: { actionId: string; signal?: AbortSignalLike },
    ): Promise<LlmResponse> {
      const fetchFn = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
      if (!fetchFn) throw fail("permanent", "no fetch in this runtime; pass options.fetch");
      const headers: Record<string, string> = {
        "content-type": "application/json",
        accept: "application/json",
      };
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      Object.assign(headers, options.headers);
      const init: FetchInit = {
        method: "POST",
        headers,
        body: JSON.stringify(toChatCompletionsBody(request, options.model)),
      };

      const {
        status,
        headers: got,
        text,
      } = await exchange(fetchFn, url, init, timeoutMs, fail, ctx?.signal);
      if (status < 200 || status >= 300) {
        const message = redact(`${name}: HTTP ${status}: ${serverMessage(text)}`);
        if (status === 429) throw ActionError.rateLimited(message, retryAfterMs(got, now()));
        if (status === 408 || status >= 500) throw ActionError.transient(message);
        throw ActionError.permanent(message);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        throw fail(
          "transient",
          `HTTP ${status} with a body that is not JSON: ${clip(text)}`,
          error,
        );
      }
      const parsed = fromChatCompletionsBody(body);
      if (typeof parsed === "string") throw fail("permanent", `HTTP ${status}: ${parsed}`);
      return parsed;
    },
  };
}

type Fail = (kind: "transient" | "permanent", message: string, cause?: unknown) => ActionError;

/**
 * One request and its whole body within `timeoutMs` (the request is aborted where the runtime can);
 * a network error, an unreadable body or the timeout is a transient `ActionError`. The caller's
 * `outer` signal (a cancelled run) aborts the request too.
 */
async function exchange(
  fetchFn: FetchLike,
  url: string,
  init: FetchInit,
  timeoutMs: number,
  fail: Fail,
  outer: AbortSignalLike | undefined,
) {
  const Controller = (globalThis as { AbortController?: new () => AbortControllerLike })
    .AbortController;
  const controller = Controller ? new Controller() : undefined;
  const signalled: FetchInit = controller
    ? ({ ...init, signal: controller.signal } as FetchInit)
    : init;
  let timer: unknown;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller?.abort();
      reject(fail("transient", `no response from ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    onAbort = () => {
      controller?.abort();
      reject(fail("transient", `the request to ${url} was aborted`));
    };
    if (outer?.aborted) onAbort();
    else outer?.addEventListener("abort", onAbort, { once: true });
  });
  const call = async () => {
    let response: FetchResponseLike;
    try {
      response = await fetchFn(url, signalled);
    } catch (error) {
      throw fail("transient", `request to ${url} failed: ${errorText(error)}`, error);
    }
    try {
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      throw fail(
        "transient",
        `reading the response from ${url} failed: ${errorText(error)}`,
        error,
      );
    }
  };
  try {
    return await Promise.race([call(), timeout]);
  } finally {
    clearTimeout(timer);
    if (onAbort) outer?.removeEventListener("abort", onAbort);
  }
}

/** The server's own error message: OpenAI's `{error: {message}}`, a few common shapes, or the text. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const error = body.error as { message?: unknown } | string | undefined;
    if (typeof error === "string") return error;
    if (typeof error?.message === "string") return error.message;
    if (typeof body.message === "string") return body.message;
  } catch {
    // Not JSON: the text itself says what went wrong.
  }
  return clip(text.trim()) || "(empty body)";
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

function clip(text: string): string {
  return text.length <= 300 ? text : `${text.slice(0, 299)}…`;
}
