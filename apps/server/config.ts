import { fileURLToPath } from "node:url";
import { DEFAULT_DB_PATH } from "../../adapters/node/index.ts";

// The checkout's root: this file runs from apps/server/ (source) or dist/apps/server/ (compiled).
const ROOT = new URL(
  import.meta.url.includes("/dist/apps/server/") ? "../../../" : "../../",
  import.meta.url,
);

/** What the server is told by its environment. */
export interface ServerConfig {
  host: string;
  port: number;
  dbPath: string;
  /** Turns bearer auth on for every route but `/health`. */
  token?: string;
  /** The web UI's build output, served at `/`. */
  uiDir: string;
  /** The in-browser app's build output, served at `/app/`. */
  appDir: string;
  /** How long a shutdown waits for requests and drives in progress. */
  shutdownMs: number;
  /** Host names answered without a token besides loopback ones (`RUNLOG_ALLOWED_HOSTS`). */
  allowedHosts: string[];
  /** How long a client may take to send a whole request, headers and body (`RUNLOG_REQUEST_TIMEOUT_MS`). */
  requestTimeoutMs: number;
  /** How long a client may take to send a request's headers. */
  headersTimeoutMs: number;
}

/** Environment variables as `process.env` has them. */
export type Env = Readonly<Record<string, string | undefined>>;

// Addresses that mean "every interface": not a name a client sends in Host.
const ANY_ADDRESS = new Set(["0.0.0.0", "::", "[::]"]);

/**
 * Reads `HOST` (default 127.0.0.1), `PORT` (default 8787; 0 picks a free one), `RUNLOG_DB`,
 * `RUNLOG_TOKEN`, `RUNLOG_SHUTDOWN_MS` (default 10 000), `RUNLOG_ALLOWED_HOSTS` (comma-separated
 * host names answered without a token besides loopback ones; `HOST` itself when it is one
 * address), `RUNLOG_REQUEST_TIMEOUT_MS` (default 30 000; headers get at most 10 000 of it), and
 * `RUNLOG_UI_DIR` / `RUNLOG_APP_DIR` (another build of the web UI / the in-browser app to serve).
 * @throws Error naming the variable when a value makes no sense.
 */
export function configFromEnv(env: Env): ServerConfig {
  const port = whole(env, "PORT", 8787);
  if (port > 65_535) throw new Error(`PORT must be 0-65535, got ${env.PORT}`);
  const token = env.RUNLOG_TOKEN?.trim();
  const host = env.HOST?.trim() || "127.0.0.1";
  const allowedHosts = (env.RUNLOG_ALLOWED_HOSTS ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (!ANY_ADDRESS.has(host)) allowedHosts.push(host.includes(":") ? `[${host}]` : host);
  const requestTimeoutMs = whole(env, "RUNLOG_REQUEST_TIMEOUT_MS", 30_000);
  if (requestTimeoutMs < 1)
    throw new Error(
      `RUNLOG_REQUEST_TIMEOUT_MS must be at least 1, got ${env.RUNLOG_REQUEST_TIMEOUT_MS}`,
    );
  return {
    host,
    allowedHosts,
    requestTimeoutMs,
    headersTimeoutMs: Math.min(10_000, requestTimeoutMs),
    port,
    dbPath: env.RUNLOG_DB?.trim() || DEFAULT_DB_PATH,
    ...(token ? { token } : {}),
    uiDir: env.RUNLOG_UI_DIR?.trim() || fileURLToPath(new URL("apps/server/ui/dist/", ROOT)),
    appDir: env.RUNLOG_APP_DIR?.trim() || fileURLToPath(new URL("apps/browser/dist/", ROOT)),
    shutdownMs: whole(env, "RUNLOG_SHUTDOWN_MS", 10_000),
  };
}

function whole(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`${name} must be a whole number, got ${raw}`);
  return n;
}
