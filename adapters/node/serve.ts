import type { AddressInfo } from "node:net";
import { serve as serveNode } from "@hono/node-server";
import type { RunHost } from "../../src/index.ts";
import { createRunApi, type RunApiOptions } from "../http/index.ts";

/** Where and how `serve` listens; the rest is what `createRunApi` takes besides the host. */
export type ServeOptions = Omit<RunApiOptions, "host"> & {
  /** Default 0: a free port, read back from `RunlogServer.port`. */
  port?: number;
  /** Default `127.0.0.1`: only this machine. Give `0.0.0.0` (and a token) to open it up. */
  hostname?: string;
  /** Turns bearer auth on: every route but /health wants `Authorization: Bearer <token>`. */
  token?: string;
};

/** A listening HTTP API: its address, and the way to stop it. */
export interface RunlogServer {
  /** `http://<hostname>:<port>`, the base of every route. */
  readonly url: string;
  readonly hostname: string;
  readonly port: number;
  /**
   * Stops listening and ends open connections (event streams too); the host stays open: close it
   * after this. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Serves runlog's HTTP API over a host (a `NodeHost` or any `RunHost`) with Node's HTTP server,
 * and resolves once it listens.
 * @throws Error when the address cannot be listened on (a port in use: `EADDRINUSE`).
 *
 * ```ts
 * const host = await createNodeHost({ path: "./runs.db", workflows: [approval] });
 * const server = await serve(host, { port: 3000, token: process.env.RUNLOG_TOKEN });
 * ```
 */
export function serve(host: RunHost, options: ServeOptions = {}): Promise<RunlogServer> {
  const { port = 0, hostname = "127.0.0.1", token, ...apiOptions } = options;
  const auth =
    token === undefined || token === "" ? apiOptions.auth : { ...apiOptions.auth, token };
  const api = createRunApi({
    ...apiOptions,
    host,
    ...(auth === undefined ? {} : { auth }),
  });
  return new Promise((resolve, reject) => {
    const server = serveNode({ fetch: api.fetch, hostname, port });
    server.once("error", reject);
    server.once("listening", () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${shown}:${address.port}`,
        hostname,
        port: address.port,
        close: () => {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            if ("closeAllConnections" in server) server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}
