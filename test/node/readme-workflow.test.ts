// The README's "Writing a workflow" example, run exactly as the README says (saved as
// publish-note.ts in the checkout, then its command), must print exactly the output shown there.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");

/** The section of the README under `heading`, up to the next `## ` heading. */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "${heading}"`);
  const end = readme.indexOf("\n## ", start + heading.length + 2);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The fenced blocks of `text` with their info string. */
function blocks(text: string): { info: string; body: string }[] {
  return [...text.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({
    info: m[1] ?? "",
    body: m[2] ?? "",
  }));
}

describe("the README's workflow example", () => {
  it("runs as written and prints what the README shows", () => {
    const text = section("## Writing a workflow");
    const [code, shell] = blocks(text);
    expect(code?.info).toBe("ts");
    const [command, ...output] = (shell?.body ?? "").trimEnd().split("\n");
    expect(command).toBe("$ npx tsx --conditions=runlog-source publish-note.ts");
    expect(text).toContain("Save this as `publish-note.ts` in the checkout");

    // In the checkout (so "runlog" resolves to this package), but out of git's way.
    mkdirSync(join(root, ".runlog"), { recursive: true });
    const dir = mkdtempSync(join(root, ".runlog", "readme-"));
    try {
      writeFileSync(join(dir, "publish-note.ts"), code?.body ?? "");
      const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
      const result = spawnSync(
        process.execPath,
        [tsx, "--conditions=runlog-source", "publish-note.ts"],
        { cwd: dir, encoding: "utf8", timeout: 60_000 },
      );
      expect(result.stderr).toBe("");
      expect(result.stdout.trimEnd().split("\n")).toEqual(output);
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
