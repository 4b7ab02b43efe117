import { createServer } from "node:net";

/** The variable that fixes the port of the browser project's test server. */
export const BROWSER_PORT_VARIABLE = "RUNLOG_TEST_BROWSER_PORT";

/** Where the browser project's test server listens, and whether that port is required. */
export type BrowserPort = { port: number; strictPort: boolean };

/**
 * The port for the browser project's test server: `RUNLOG_TEST_BROWSER_PORT` when set (required:
 * a taken port fails the run instead of moving), else a port the system reports free on
 * 127.0.0.1. Vitest's own default is one fixed port, so two runs on one machine collided.
 * @throws Error when the variable is set but is not a port number (1-65535).
 */
export async function resolveBrowserPort(
  env: Record<string, string | undefined>,
): Promise<BrowserPort> {
  const value = env[BROWSER_PORT_VARIABLE];
  if (value !== undefined && value !== "") {
    const port = Number(value);
    if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
      throw new Error(`${BROWSER_PORT_VARIABLE} must be a port number (1-65535), got "${value}"`);
    }
    return { port, strictPort: true };
  }
  return { port: await freePort(), strictPort: false };
}

/** A TCP port that was free on 127.0.0.1 a moment ago (the system picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port was assigned"))));
    });
  });
}
