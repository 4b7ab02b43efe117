// The type check of every layer (each with only its own platform's types) and Biome's lint and
// format checks are part of the suite, so a change that breaks them fails CI like a failing test.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const run = (bin: string, args: string[]) =>
  spawnSync(`${root}node_modules/.bin/${bin}`, args, { cwd: root, encoding: "utf8" });

describe("static checks", () => {
  for (const config of [
    "tsconfig.json",
    "tsconfig.node.json",
    "tsconfig.browser.json",
    "tsconfig.workers.json",
  ]) {
    it(`type-checks ${config} with no error`, () => {
      const result = run("tsc", ["--noEmit", "-p", config]);
      expect(result.stdout + result.stderr).toBe("");
      expect(result.status).toBe(0);
    }, 60_000);
  }

  it("passes Biome's lint and format checks", () => {
    const result = run("biome", ["check", "--reporter=summary", "."]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  }, 60_000);
});
