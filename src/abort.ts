/**
 * The slice of the platform's `AbortSignal` the core uses and hands to tools and providers. At run
 * time it is the real `AbortSignal` of the browser, Worker or Node (pass it on to `fetch`).
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** The slice of `AbortController` the core uses. */
export interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(reason?: unknown): void;
}

declare const AbortController: new () => AbortControllerLike;

/** A new `AbortController` (browsers, Workers and Node all have one). */
export function newAbortController(): AbortControllerLike {
  return new AbortController();
}
