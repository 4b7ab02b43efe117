// `npm run demo` as a user runs it, in a child process without a terminal (stdin is not a TTY).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** `npm run demo -- ...args` with stdin closed: no terminal to ask at. */
function demo(...args: string[]) {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["run", "--silent", "demo", "--", ...args], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Each case starts Node with tsx: seconds on a loaded machine.
describe("npm run demo without a terminal", { timeout: 90_000 }, () => {
  it("says to pass --approve or --deny and prints its own usage line, exit 2", () => {
    const { status, stderr } = demo();
    expect(stderr).toContain("no terminal to ask at: pass --approve or --deny");
    expect(stderr).toContain(
      'usage: npm run demo -- [--text "what to publish"] [--approve | --deny]',
    );
    expect(stderr).not.toContain("npm start");
    expect(status).toBe(2);
  });

  it("runs demo.approval to completion with --approve", () => {
    const { status, stdout } = demo("--approve", "--text", "from the test");
    expect(stdout).toContain("yes (--approve)");
    expect(stdout).toContain('status: completed  output: {"approved":true,"text":"from the test"}');
    expect(status).toBe(0);
  });
});
