// Runs the real server (apps/server/main.ts) as a child process from its source (`npm start`
// runs the compiled copy): Node with tsx and the "runlog-source" condition. Tests stop it by its
// pid (SIGKILL, SIGTERM).
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A server child process: its URL once it listens, its output so far, and how it ended. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the server with `env` on top of this process's environment (PORT 0 unless given) and
 * resolves once it prints its URL.
 * @throws Error with the output when it exits first or takes over `timeoutMs`.
 */
export function startServer(
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ["--conditions=runlog-source", "--import", "tsx", "apps/server/main.ts"],
    {
      cwd: ROOT,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let text = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server did not start in ${timeoutMs} ms:\n${text}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const url = /listening on (http:\/\/\S+?)\/?\s/.exec(text)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, child, output: () => text, exited });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`the server exited (code ${code}, signal ${signal}) before listening:\n${text}`),
      );
    });
  });
}

/** Polls `check` every 50 ms until it answers something truthy or `timeoutMs` passes. */
export async function until<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
