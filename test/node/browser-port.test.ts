// The browser project's test server must not sit on one fixed port: two runs on one machine
// (two checkouts, two people) collided on vitest's default.
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { BROWSER_PORT_VARIABLE, resolveBrowserPort } from "../support/browser-port.ts";

const listenOn = (port: number) =>
  new Promise<() => Promise<void>>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () =>
      resolve(() => new Promise((done) => server.close(() => done()))),
    );
  });

describe("the browser project's port", () => {
  it("is RUNLOG_TEST_BROWSER_PORT when set, and then required (no silent move)", async () => {
    expect(await resolveBrowserPort({ [BROWSER_PORT_VARIABLE]: "18345" })).toEqual({
      port: 18345,
      strictPort: true,
    });
  });

  it("rejects a RUNLOG_TEST_BROWSER_PORT that is not a port number, naming the variable", async () => {
    for (const bad of ["abc", "0", "65536", "80x", "-1"]) {
      await expect(resolveBrowserPort({ [BROWSER_PORT_VARIABLE]: bad })).rejects.toThrow(
        `${BROWSER_PORT_VARIABLE} must be a port number (1-65535), got "${bad}"`,
      );
    }
  });

  it("is otherwise a free port that can be listened on, not vitest's fixed default", async () => {
    const { port, strictPort } = await resolveBrowserPort({});
    expect(strictPort).toBe(false);
    expect(port).not.toBe(63315);
    const close = await listenOn(port);
    await close();
  });
});
