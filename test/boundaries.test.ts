// The import rule, checked by a plain source scan (no dependencies): dependencies point inward,
// apps → adapters → src, and kits → src. The core imports only itself and uses no
// runtime-specific global; an adapter or a kit reaches the core only through one of its public
// entry points (src/index.ts, src/store-kit/, src/demos/, src/testing/) and another adapter only
// through its index.ts; a kit imports nothing else of this repository; nothing outside apps/
// imports apps/, nothing outside test/ imports test/ (but the test Worker, apps/worker-test,
// imports the host contract suite's kit).
import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SCANNED = ["src", "adapters", "apps", "test", "bench", "kits"];
/** The core's entry points, the only files of src/ an adapter or a kit may import. */
const CORE_ENTRIES = ["src", "src/store-kit", "src/demos", "src/testing"];
const SOURCE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/;
const CORE_GLOBALS: ReadonlyArray<[RegExp, string]> = [
  [/\bprocess\./, "process."],
  [/\bBuffer\b/, "Buffer"],
  [/\bwindow\./, "window."],
  [/\bdocument\./, "document."],
];

/**
 * `source` with comments (and, unless `keepStrings`, the contents of string literals) turned into
 * spaces, so every offset still points at the same place in the original text.
 */
function codeOnly(source: string, keepStrings = false): string {
  const out = source.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const stop = end === -1 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end === -1 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      // A quote or apostrophe string ends at its line's end at the latest, which bounds the damage
      // a quote inside a regular expression literal can do.
      let j = i + 1;
      while (j < source.length && source[j] !== c && (c === "`" || source[j] !== "\n")) {
        j += source[j] === "\\" ? 2 : 1;
      }
      if (!keepStrings) blank(i + 1, Math.min(j, source.length));
      i = j + 1;
    } else {
      i++;
    }
  }
  return out.join("");
}

/** Every module specifier a file names: static and dynamic imports, re-exports, require. */
function specifiers(source: string): string[] {
  const code = codeOnly(source);
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^;]*?\bfrom\s*(["'])(.*?)\1/g,
    /\bimport\s*(["'])(.*?)\1/g,
    /\b(?:import|require)\s*\(\s*(["'])(.*?)\1\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) {
      // Only count matches that start in code, not in a comment or a string.
      const at = match.index ?? 0;
      if (code[at] !== " ") found.push(match[2] as string);
    }
  }
  return found;
}

/**
 * The one exception to "nothing outside test/ imports test/": the Worker the workers tests run
 * (apps/worker-test, never deployed) registers the host contract suite's kit, which its tests
 * share with it in one isolate.
 */
const isContractKitForTestWorker = (file: string, target: string): boolean =>
  file.startsWith("apps/worker-test/") && target === "test/contract/contract-kit.ts";

const isIndexOf = (target: string, dir: string): boolean =>
  [dir, `${dir}/index`, `${dir}/index.ts`, `${dir}/index.js`].includes(target);

/** The broken rules in one file, given its path from the repository root and its text. */
function violations(file: string, source: string): string[] {
  const problems: string[] = [];
  const [top, sub] = file.split("/");
  for (const spec of specifiers(source)) {
    const relativeSpec = spec.startsWith("./") || spec.startsWith("../");
    if (top === "src" && !relativeSpec) {
      problems.push(`${file}: the core imports "${spec}"; it may import only relative paths`);
      continue;
    }
    if (!relativeSpec) continue;
    const target = posix.normalize(posix.join(posix.dirname(file), spec));
    const [targetTop, targetSub] = target.split("/");
    if (top === "src" && targetTop !== "src") {
      problems.push(`${file}: the core imports "${spec}", outside src/`);
    }
    if (
      (top === "adapters" || top === "kits") &&
      targetTop === "src" &&
      !CORE_ENTRIES.some((entry) => isIndexOf(target, entry))
    ) {
      problems.push(`${file}: imports "${spec}"; it reaches the core only via an index.ts entry`);
    }
    if (top === "kits" && targetTop !== "src" && targetTop !== "kits") {
      problems.push(`${file}: imports "${spec}"; a kit imports only the core`);
    }
    if (
      top === "adapters" &&
      targetTop === "adapters" &&
      targetSub !== sub &&
      !isIndexOf(target, `adapters/${targetSub}`)
    ) {
      problems.push(`${file}: imports "${spec}", another adapter's internals`);
    }
    if (targetTop === "apps" && top !== "apps") {
      problems.push(`${file}: imports "${spec}"; nothing outside apps/ imports apps/`);
    }
    if (targetTop === "test" && top !== "test" && !isContractKitForTestWorker(file, target)) {
      problems.push(`${file}: imports "${spec}"; nothing outside test/ imports test/`);
    }
  }
  if (top === "src") {
    const code = codeOnly(source);
    for (const [pattern, name] of CORE_GLOBALS) {
      if (pattern.test(code)) problems.push(`${file}: the core uses ${name}`);
    }
    if (/\bnode:/.test(codeOnly(source, true)))
      problems.push(`${file}: the core names a node: module`);
  }
  return problems;
}

function sourceFiles(dir: string): string[] {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(join(ROOT, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) ? [path] : [];
  });
}

describe("the import rule", () => {
  it("holds for every source file in the repository", () => {
    const files = SCANNED.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(0);
    const problems = files.flatMap((file) =>
      violations(file, readFileSync(join(ROOT, file), "utf8")),
    );
    expect(problems).toEqual([]);
  });

  it("rejects a core file that imports a package or a path outside src/", () => {
    expect(violations("src/a.ts", 'import { z } from "zod";')).toHaveLength(1);
    expect(violations("src/a.ts", 'export { x } from "../adapters/idb/index.ts";')).toHaveLength(1);
    expect(violations("src/a.ts", 'const m = await import("node:fs");')).toHaveLength(2);
    expect(violations("src/a.ts", 'import type { B } from "./b.ts";')).toEqual([]);
  });

  it("rejects runtime-specific globals in the core, but not in comments or strings", () => {
    expect(violations("src/a.ts", "const e = process.env.X;")).toHaveLength(1);
    expect(violations("src/a.ts", "const b = Buffer.from([]);")).toHaveLength(1);
    expect(violations("src/a.ts", "window.alert(1); document.title;")).toHaveLength(2);
    expect(violations("src/a.ts", '// process.env and Buffer\nconst s = "window.x";')).toEqual([]);
  });

  it("lets adapters reach the core and other adapters only through their index.ts", () => {
    expect(violations("adapters/idb/a.ts", 'import { x } from "../../src/index.ts";')).toEqual([]);
    expect(violations("adapters/idb/a.ts", 'import { x } from "../../src/hash.ts";')).toHaveLength(
      1,
    );
    expect(violations("adapters/http/a.ts", 'import { x } from "../node/index.ts";')).toEqual([]);
    expect(violations("adapters/http/a.ts", 'import { x } from "../node/db.ts";')).toHaveLength(1);
    expect(violations("adapters/node/a.ts", 'import { x } from "./db.ts";')).toEqual([]);
  });

  it("lets a kit import the core's entry points and nothing else of the repository", () => {
    expect(violations("kits/k/a.ts", 'import { x } from "../../src/store-kit/index.ts";')).toEqual(
      [],
    );
    expect(violations("kits/k/a.ts", 'import { x } from "../../src/run-meta.ts";')).toHaveLength(1);
    expect(
      violations("kits/k/a.ts", 'import { x } from "../../adapters/node/index.ts";'),
    ).toHaveLength(1);
    expect(
      violations("adapters/idb/a.ts", 'import { x } from "../../src/demos/index.ts";'),
    ).toEqual([]);
  });

  it("keeps apps/ and test/ out of everyone else's imports", () => {
    expect(violations("adapters/node/a.ts", 'import "../../apps/server/main.ts";')).toHaveLength(1);
    expect(violations("src/a.ts", 'import { f } from "../test/support/f.ts";')).toHaveLength(2);
    expect(violations("test/node/a.test.ts", 'import "../../apps/server/x.ts";')).toHaveLength(1);
    expect(
      violations("apps/server/a.ts", 'import { y } from "../../adapters/node/index.ts";'),
    ).toEqual([]);
  });

  it("lets only the test Worker import the host contract suite's kit, and nothing else of test/", () => {
    const kit = 'import { gates } from "../../test/contract/contract-kit.ts";';
    expect(violations("apps/worker-test/a.ts", kit)).toEqual([]);
    expect(violations("apps/worker/a.ts", kit)).toHaveLength(1);
    expect(
      violations("apps/worker-test/a.ts", 'import "../../test/contract/run-host-suite.ts";'),
    ).toHaveLength(1);
  });
});
