import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import type { Context, MiddlewareHandler } from "hono";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
};

/** Where `serveDir` serves from and what it does when the build is missing. */
export interface ServeDirOptions {
  /** The build output directory (absolute). */
  root: string;
  /** The URL prefix it is mounted at, without a trailing slash (`""` for the root). */
  prefix: string;
  /** The page to answer with when `root/index.html` does not exist (the build has not run). */
  missing: (c: Context) => Response;
}

async function fileAt(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    if (s.isFile()) return path;
    if (s.isDirectory()) return fileAt(join(path, "index.html"));
  } catch {
    // Not there: the caller falls back.
  }
  return undefined;
}

/**
 * Serves a single-page app's build output for GET and HEAD under `prefix`: files as they are
 * (hashed `assets/` cached for a year), `index.html` at the root, and a JSON 404 (the app's) for
 * anything that names no file: the apps route with the URL's hash. It looks at the disk on every request,
 * so a build made while the server runs is served without a restart.
 */
export function serveDir(options: ServeDirOptions): MiddlewareHandler {
  const root = normalize(options.root.endsWith(sep) ? options.root : `${options.root}${sep}`);
  return async (c, next) => {
    const method = c.req.method;
    if (method !== "GET" && method !== "HEAD") return next();
    const path = c.req.path;
    if (options.prefix && path !== options.prefix && !path.startsWith(`${options.prefix}/`)) {
      return next();
    }
    if (options.prefix && path === options.prefix) return c.redirect(`${options.prefix}/`, 308);
    const index = await fileAt(join(root, "index.html"));
    const atRoot = path === `${options.prefix}/` || path === options.prefix || path === "";
    if (!index) return atRoot ? options.missing(c) : next();
    let relative: string;
    try {
      relative = decodeURIComponent(path.slice(options.prefix.length));
    } catch {
      return c.text("bad path", 400);
    }
    const target = normalize(join(root, relative));
    if (!target.startsWith(root) && `${target}${sep}` !== root) return c.text("not found", 404);
    const file = await fileAt(target);
    // The apps route with the URL's hash, so a path that names no file is a 404, not the app.
    if (!file) return next();
    const body = await readFile(file);
    const immutable = file.startsWith(join(root, "assets") + sep);
    const headers = {
      "content-type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
      "content-length": String(body.byteLength),
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      "x-content-type-options": "nosniff",
    };
    return new Response(method === "HEAD" ? null : body, { status: 200, headers });
  };
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title>
<style>
body{font:16px/1.55 system-ui,-apple-system,Segoe UI,sans-serif;max-width:42rem;margin:12vh auto;padding:0 1.5rem;color:#1f2430;background:#fafbfc}
h1{font-size:1.4rem;margin:0 0 .5rem} code{background:#eef0f4;padding:.15em .4em;border-radius:4px;font-size:.92em}
pre{background:#1f2430;color:#e6e9ef;padding:1rem 1.2rem;border-radius:8px;overflow:auto}
a{color:#3558d6} .muted{color:#687083}
</style></head><body>${body}</body></html>`;

/** The page served at `/` when the web UI has not been built. */
export function uiMissingPage(c: Context): Response {
  return c.html(
    page(
      "runlog: build the web UI",
      `<h1>runlog is running; its web UI is not built yet</h1>
<p>Build it once, then reload this page (no restart needed):</p>
<pre>npm run build:ui</pre>
<p>Meanwhile the API answers here: <a href="/runs">/runs</a>, <a href="/workflows">/workflows</a>,
<a href="/docs">/docs</a>, <a href="/openapi.json">/openapi.json</a>, and the CLI works:
<code>npx runlog --help</code>.</p>
<p class="muted">The UI is served from apps/server/ui/dist.</p>`,
    ),
  );
}

/** The page served under `/app/` when the in-browser app has not been built. */
export function appMissingPage(c: Context): Response {
  return c.html(
    page(
      "runlog: the in-browser app is not built",
      `<h1>The in-browser app is not built</h1>
<p>Build it once, then reload this page (no restart needed):</p>
<pre>npm run build:browser</pre>
<p class="muted">It is served from apps/browser/dist. The server's own UI is at <a href="/">/</a>.</p>`,
    ),
    404,
  );
}
