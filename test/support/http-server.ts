// Serves a fetch handler over real HTTP on 127.0.0.1 (a free port) with @hono/node-server.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Call } from "./http-api-cases.ts";

/** A server on 127.0.0.1 and a `Call` that reaches it. */
export interface TestServer {
  url: string;
  call: Call;
  close(): Promise<void>;
}

/** Starts `fetch` on 127.0.0.1, port 0. */
export function listen(
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<TestServer> {
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => {
      const url = `http://127.0.0.1:${info.port}`;
      resolve({
        url,
        call: (path, init) => globalThis.fetch(`${url}${path}`, init),
        close: () =>
          new Promise<void>((done) => {
            if ("closeAllConnections" in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
