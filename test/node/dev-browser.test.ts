// `npm run dev:browser` as a user starts it: Vite with the app's config in a child process. It must
// say where the app is (Vite's own banner is hidden by the config's log level).
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const vite = fileURLToPath(new URL("../../node_modules/vite/bin/vite.js", import.meta.url));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill("SIGTERM");
});

/** Starts the dev server (PORT 0: a free port) and resolves with its first line that names a URL. */
function startDevServer(timeoutMs: number): Promise<string> {
  // The command of package.json's "dev:browser", started directly so that its pid is Vite's own.
  child = spawn(process.execPath, [vite, "--config", "apps/browser/vite.config.ts"], {
    cwd: root,
    env: { ...process.env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const line = output.split("\n").find((l) => l.includes("http://"));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child?.stdout?.on("data", onData);
    child?.stderr?.on("data", onData);
    child?.once("exit", (code) => reject(new Error(`vite exited (${code}):\n${output}`)));
  });
}

describe("npm run dev:browser", () => {
  it("prints the URL it serves the app at, on 127.0.0.1, and the app is there", async () => {
    const line = await startDevServer(60_000);
    const url = /runlog in-browser app: (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line.trim())?.[1];
    expect(url, line).toBeDefined();
    const page = await fetch(url as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
  }, 90_000);
});
