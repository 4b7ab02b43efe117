import { Hono } from "hono";
import { type InFlight, requestLog } from "./request-log.ts";
import { appMissingPage, serveDir, uiMissingPage } from "./static-files.ts";

/** The HTTP API as the server mounts it: anything with Hono's `fetch`. */
export interface FetchApp {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

/** What the server's app is made of. */
export interface ServerAppOptions {
  api: FetchApp;
  uiDir: string;
  appDir: string;
  log: (line: string) => void;
  inFlight?: InFlight;
}

/** The paths the HTTP API owns; everything else is the web UI's (and `/app/`, the browser app's). */
const API_PATH = /^\/(?:runs|workflows|health|openapi\.json|docs)(?:\/|$)/;

/** True for a path the API answers rather than the static files. */
export function isApiPath(path: string): boolean {
  return API_PATH.test(path);
}

/**
 * The server's whole app: one log line per request, the API at its contract's root paths (they
 * win over files), the in-browser app at `/app/`, and the web UI at `/` (a page that says how to
 * build it while it is missing).
 */
export function createServerApp(options: ServerAppOptions): Hono {
  const app = new Hono();
  app.use("*", requestLog(options.log, options.inFlight));
  app.all("*", (c, next) => (isApiPath(c.req.path) ? options.api.fetch(c.req.raw, c.env) : next()));
  app.use("*", serveDir({ root: options.appDir, prefix: "/app", missing: appMissingPage }));
  app.use("*", serveDir({ root: options.uiDir, prefix: "", missing: uiMissingPage }));
  app.notFound((c) =>
    c.json({ error: { code: "not_found", message: `no route for ${c.req.path}` } }, 404),
  );
  return app;
}
