import type { MiddlewareHandler } from "hono";

/**
 * The path of a URL and the names of its query parameters, never their values: a value may be a
 * token whatever its parameter is called. `/runs?limit=5&rt=abc` is logged `/runs?limit&rt`.
 */
export function loggablePath(url: string): string {
  const u = new URL(url);
  if (!u.search) return u.pathname;
  const names = [...new Set([...u.searchParams.keys()])].map((k) => encodeURIComponent(k));
  return `${u.pathname}?${names.join("&")}`;
}

/** Counts requests whose handler has not answered yet (a stream counts until its headers go). */
export class InFlight {
  count = 0;
  #idle: (() => void)[] = [];

  enter(): void {
    this.count += 1;
  }

  leave(): void {
    this.count -= 1;
    if (this.count === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Resolves when no request is in flight, or after `ms`. */
  idle(ms: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/**
 * One line per request: time, method, path (query parameter names only, never their values;
 * headers, and so tokens, never written), status and ms until the response began.
 */
export function requestLog(write: (line: string) => void, inFlight?: InFlight): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    inFlight?.enter();
    try {
      await next();
    } finally {
      inFlight?.leave();
      const ms = Math.round(performance.now() - started);
      const time = new Date().toISOString();
      write(`${time} ${c.req.method} ${loggablePath(c.req.url)} ${c.res.status} ${ms}ms`);
    }
  };
}
