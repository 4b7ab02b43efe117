import { OpenAPIHono } from "@hono/zod-openapi";
import type { Hono } from "hono";
import { cors } from "hono/cors";
import type { RunHost } from "../../src/index.ts";
import type { ApiContext } from "./api-context.ts";
import type { ApiEnv } from "./api-env.ts";
import { ApiError, toErrorResponse } from "./api-error.ts";
import { type AuthOptions, createGuard } from "./auth.ts";
import { createHostCheck } from "./host-check.ts";
import { addDocRoutes } from "./openapi.ts";
import { RouteTable } from "./route-table.ts";
import { addControlRoutes } from "./routes-control.ts";
import { addPortabilityRoutes } from "./routes-portability.ts";
import { addRunRoutes } from "./routes-runs.ts";
import { addStreamRoute } from "./sse.ts";

/** Size limits of request bodies. */
export interface LimitOptions {
  /** Any JSON body. Default 1 MiB. */
  bodyBytes?: number;
  /** The NDJSON body of `POST /runs/import`. Default 16 MiB. */
  importBytes?: number;
}

/** Cross-origin access. Off unless given. */
export interface CorsOptions {
  /** The origins allowed, or `"*"` for any. */
  origins: readonly string[] | "*";
  /** How long a browser may cache a preflight answer. Default 600. */
  maxAgeSeconds?: number;
}

/** What `createRunApi` serves and how. */
export interface RunApiOptions {
  host: RunHost;
  auth?: AuthOptions;
  limits?: LimitOptions;
  cors?: CorsOptions;
  /** Server-Sent Events: a heartbeat comment every `heartbeatMs`. Default 15 000. */
  sse?: { heartbeatMs?: number };
  /**
   * Without a token, the host names answered besides loopback ones (`localhost`, `*.localhost`,
   * `127.x.x.x`, `[::1]`, any port), as `Host` and any `Origin` header name them: the guard
   * against DNS rebinding. `.example.com` allows it and its subdomains, `*` any host (for a
   * server on a public name, such as the Worker). Ignored when `auth.token` is set. Default: none.
   */
  allowedHosts?: readonly string[];
  /** The clock resume tokens expire by. Default `Date.now`. */
  now?: () => number;
  /** Hears every unexpected error (answered 500 with a generic message) and full storage (507), to log it. */
  onError?: (error: unknown, request: Request) => void;
}

const MIB = 1024 * 1024;

/**
 * The runlog HTTP API, version 1, as one Hono app over a `RunHost`: the same app the Node server
 * and the Worker serve. Every input is validated by zod before the host sees it; errors are
 * `{"error": {"code", "message"}}`; `/openapi.json` and `/docs` describe it all.
 */
export function createRunApi(options: RunApiOptions): Hono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>({ strict: false });
  const origins = options.cors
    ? options.cors.origins === "*"
      ? ["*"]
      : [...options.cors.origins]
    : [];
  const now = options.now ?? (() => Date.now());
  const guard = createGuard({ auth: options.auth ?? {}, origins, now });
  const table = new RouteTable(app, guard, options.limits?.bodyBytes ?? MIB);
  const context: ApiContext = {
    host: options.host,
    resumeSecret: options.auth?.resumeSecret ?? options.auth?.token,
    importBytes: options.limits?.importBytes ?? 16 * MIB,
    heartbeatMs: options.sse?.heartbeatMs ?? 15_000,
    now,
  };

  if (!options.auth?.token)
    app.use("*", createHostCheck({ allowedHosts: options.allowedHosts ?? [], origins }));
  if (options.cors) {
    app.use(
      "*",
      cors({
        origin: options.cors.origins === "*" ? "*" : [...options.cors.origins],
        allowMethods: ["GET", "POST", "OPTIONS"],
        allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"],
        maxAge: options.cors.maxAgeSeconds ?? 600,
      }),
    );
  }
  addDocRoutes(table, app);
  addRunRoutes(table, context);
  addStreamRoute(table, context);
  addControlRoutes(table, context);
  addPortabilityRoutes(table, context);

  app.notFound((c) => {
    const methods = table.methodsAt(c.req.path);
    if (methods.length > 0) {
      c.header("Allow", methods.join(", "));
      const error = new ApiError(
        405,
        "method_not_allowed",
        `${c.req.method} is not allowed on ${c.req.path}; use ${methods.join(" or ")}`,
      );
      return c.json(toErrorResponse(error).body, 405);
    }
    return c.json(
      toErrorResponse(
        new ApiError(404, "not_found", `no route ${c.req.method} ${c.req.path.slice(0, 200)}`),
      ).body,
      404,
    );
  });
  app.onError((error, c) => {
    const { status, body } = toErrorResponse(error);
    if (status === 500 || status === 507) options.onError?.(error, c.req.raw);
    if (status === 401) c.header("WWW-Authenticate", 'Bearer realm="runlog"');
    // The refused body was left unread (or its stream cancelled): the connection cannot carry
    // another request, so the client is told not to reuse it.
    if (status === 413) c.header("Connection", "close");
    return c.json(body, status);
  });
  return app;
}
