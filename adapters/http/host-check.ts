import type { MiddlewareHandler } from "hono";
import type { ApiEnv } from "./api-env.ts";
import { ApiError } from "./api-error.ts";

/** What the Host check lets in besides loopback names. */
export interface HostCheckOptions {
  /** Host names allowed besides loopback ones: exact, `.example.com` for it and its subdomains, or `*`. */
  allowedHosts: readonly string[];
  /** Origins CORS lets in (`*` for any): a request from a page of one of them is allowed too. */
  origins: readonly string[];
}

/**
 * The guard against DNS rebinding of an API without a token: a page on a domain that resolves to
 * 127.0.0.1 reaches the server with its own name in `Host` and `Origin`. Only loopback names
 * (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`, any port) and the allowed ones are answered;
 * anything else is a 403 that says how to allow it. A server with a token does not need this.
 */
export function createHostCheck(options: HostCheckOptions): MiddlewareHandler<ApiEnv> {
  const allowed = options.allowedHosts.map((entry) => {
    const trimmed = entry.trim().toLowerCase();
    return nameOf(trimmed) ?? trimmed;
  });
  return async (c, next) => {
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    if (!hostAllowed(host, allowed)) throw refusal("Host", host);
    const origin = c.req.header("origin");
    if (
      origin !== undefined &&
      !options.origins.includes("*") &&
      !options.origins.includes(origin) &&
      !hostAllowed(originHost(origin), allowed)
    ) {
      throw refusal("Origin", origin);
    }
    return next();
  };
}

/** True when `host` (a Host header: a name or address, and maybe a port) is loopback or allowed. */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const name = nameOf(host);
  if (name === undefined) return false;
  if (isLoopback(name)) return true;
  return allowed.some(
    (entry) =>
      entry === "*" ||
      entry === name ||
      (entry.startsWith(".") && (name === entry.slice(1) || name.endsWith(entry))),
  );
}

function isLoopback(name: string): boolean {
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    name === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}

/** The lower-case host name of `host[:port]`, brackets kept for IPv6; undefined when malformed. */
function nameOf(host: string): string | undefined {
  if (host === "" || host === "*" || host.startsWith(".")) return host === "" ? undefined : host;
  try {
    const url = new URL(`http://${host}`);
    return url.username || url.password || url.pathname !== "/" ? undefined : url.hostname;
  } catch {
    return undefined;
  }
}

function originHost(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return "";
  }
}

function refusal(header: "Host" | "Origin", value: string): ApiError {
  return new ApiError(
    403,
    "forbidden",
    `${header} ${value.slice(0, 100)} is refused: without a token this server answers only localhost, 127.0.0.1 and [::1] (a guard against DNS rebinding); allow the name with RUNLOG_ALLOWED_HOSTS (allowedHosts), or turn auth on with RUNLOG_TOKEN`,
  );
}
