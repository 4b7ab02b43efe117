// `npm start`: the runlog server on its embedded SQLite. The HTTP API at /runs, /workflows,
// /health, /openapi.json and /docs; the web UI at /; the in-browser app at /app/. Settings come
// from the environment (see config.ts); RUNLOG_WORKFLOWS adds a module of workflows.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createRunApi } from "../../adapters/http/index.ts";
import { createNodeHost, envHostOptions } from "../../adapters/node/index.ts";
import { configFromEnv } from "./config.ts";
import { InFlight, loggablePath } from "./request-log.ts";
import { createServerApp } from "./server-app.ts";
import { onShutdownSignal } from "./shutdown.ts";

// A closed stdout or stderr (a pipe whose reader went away) must not take the server down.
process.stdout.on("error", () => undefined);
process.stderr.on("error", () => undefined);
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const config = configFromEnv(process.env);
  const hostOptions = await envHostOptions(process.env, { path: config.dbPath });
  const host = await createNodeHost({
    ...hostOptions,
    demos: true,
    onError: (runId, error) => err(`run ${runId}: ${(error as Error)?.message ?? String(error)}`),
  });
  const api = createRunApi({
    host,
    ...(config.token ? { auth: { token: config.token } } : {}),
    allowedHosts: config.allowedHosts,
    // Answered 500 with a generic message; the detail goes to the log (never a header or body).
    onError: (error, request) =>
      err(
        `internal error on ${request.method} ${loggablePath(request.url)}: ${(error as Error)?.message ?? String(error)}`,
      ),
  });
  const inFlight = new InFlight();
  const app = createServerApp({
    api,
    uiDir: config.uiDir,
    appDir: config.appDir,
    log: out,
    inFlight,
  });

  const server = serve({
    fetch: app.fetch,
    hostname: config.host,
    port: config.port,
    // A client that sends its request too slowly is answered 408 and cut off, so slow bodies
    // cannot hold connections (Node's own default is 300 s). Streams' responses are not limited.
    serverOptions: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, config.headersTimeoutMs / 4)),
    },
  });
  server.once("error", (error: NodeJS.ErrnoException) => {
    const why =
      error.code === "EADDRINUSE"
        ? `${config.host}:${config.port} is in use (set PORT)`
        : error.message;
    err(`runlog: cannot listen: ${why}`);
    void host.close().finally(() => process.exit(1));
  });
  server.once("listening", () => {
    const { port } = server.address() as AddressInfo;
    const shown = config.host.includes(":") ? `[${config.host}]` : config.host;
    const names = host.workflows().length;
    out(`runlog listening on http://${shown}:${port}/`);
    out(
      `  database ${config.dbPath} · ${names} workflows · auth ${config.token ? "on (RUNLOG_TOKEN)" : "off"}`,
    );
    if (!config.token && !isLoopbackAddress(config.host)) {
      const also = config.allowedHosts.length > 0 ? ` and ${config.allowedHosts.join(", ")}` : "";
      out(
        `  without a token only localhost, 127.0.0.1 and [::1]${also} are answered (RUNLOG_ALLOWED_HOSTS adds names)`,
      );
    }
  });

  onShutdownSignal(async (signal) => {
    out(`runlog: ${signal}: stopping (new connections refused, waiting for drives)`);
    const started = Date.now();
    server.close();
    if ("closeIdleConnections" in server) server.closeIdleConnections();
    await inFlight.idle(config.shutdownMs);
    const left = Math.max(0, config.shutdownMs - (Date.now() - started));
    // Streams (SSE) never finish by themselves: end them before the database closes.
    if ("closeAllConnections" in server) server.closeAllConnections();
    const drained = await host.closeWithin(left);
    out(
      drained
        ? "runlog: stopped"
        : `runlog: stopped after ${config.shutdownMs} ms with drives still running; they continue on the next start`,
    );
  });
}

function isLoopbackAddress(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

main().catch((error: unknown) => {
  err(`runlog: ${(error as Error)?.message ?? String(error)}`);
  process.exit(1);
});
