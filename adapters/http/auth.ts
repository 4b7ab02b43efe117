import type { Context, MiddlewareHandler } from "hono";
import { verifyResumeToken } from "../../src/index.ts";
import { isResumeTokenShaped } from "../../src/store-kit/index.ts";
import type { ApiEnv } from "./api-env.ts";
import { ApiError } from "./api-error.ts";

/** Who may call a route: anyone, a bearer of the API token, or also a resume token's bearer. */
export type Access = "public" | "bearer" | "resume";

/** Bearer auth. Without `token` the API is open (for a server on 127.0.0.1). */
export interface AuthOptions {
  /** The API token (`RUNLOG_TOKEN`): every route but /health then wants `Authorization: Bearer <token>`. */
  token?: string;
  /** The key resume tokens are signed with. Default: `token`. */
  resumeSecret?: string;
}

/** What a guard needs beyond the auth options. */
export interface GuardOptions {
  auth: AuthOptions;
  /** Origins CORS lets in: cross-origin writes from them are allowed when the API is open. */
  origins: readonly string[];
  now: () => number;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const BEARER = /^Bearer[ \t]+([\x21-\x7e]+)[ \t]*$/i;

/**
 * Makes the middleware of each access level. With a token configured: no or a malformed
 * Authorization header, or a wrong token, is 401; a valid resume token used anywhere but the
 * resume of its own run, or a tampered or expired one, is 403. Without one, the API is open but
 * refuses writes from pages of other origins (a site the user visits cannot drive a local server).
 */
export function createGuard(options: GuardOptions): (access: Access) => MiddlewareHandler<ApiEnv> {
  const { token } = options.auth;
  const secret = options.auth.resumeSecret ?? token;
  return (access) => async (c, next) => {
    c.set("grant", undefined);
    if (access === "public") return next();
    if (!token) {
      refuseCrossOrigin(c, options.origins);
      return next();
    }
    const presented = BEARER.exec(c.req.header("authorization") ?? "")?.[1];
    if (presented === undefined)
      throw new ApiError(401, "unauthorized", "send Authorization: Bearer <token>");
    if (sameSecret(presented, token)) return next();
    if (!secret || !isResumeTokenShaped(presented))
      throw new ApiError(401, "unauthorized", "the bearer token is not valid");
    const check = await verifyResumeToken(secret, presented, options.now());
    if (!check.ok) {
      const why =
        check.reason === "expired"
          ? "has expired"
          : "is not valid (altered or signed with another key)";
      throw new ApiError(403, "forbidden", `the resume token ${why}`);
    }
    if (access !== "resume")
      throw new ApiError(403, "forbidden", "a resume token allows only POST /runs/{id}/resume");
    if (check.runId !== c.req.param("id"))
      throw new ApiError(403, "forbidden", "the resume token is for another run");
    c.set("grant", { runId: check.runId, interruptId: check.interruptId, exp: check.exp });
    return next();
  };
}

/** Compares two secrets in time that depends only on their lengths. */
export function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

function refuseCrossOrigin(c: Context<ApiEnv>, allowed: readonly string[]): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header("origin");
  if (origin === undefined || allowed.includes("*") || allowed.includes(origin)) return;
  const host = c.req.header("host") ?? new URL(c.req.url).host;
  let sameHost = false;
  try {
    sameHost = new URL(origin).host === host;
  } catch {
    sameHost = false;
  }
  if (!sameHost)
    throw new ApiError(
      403,
      "forbidden",
      `writes from pages of ${origin.slice(0, 100)} are refused`,
    );
}
