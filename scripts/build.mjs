// `npm run build`: compiles every export subpath, the CLI and the server into dist/ with the
// native tsc, one program per layer (build/tsconfig.*.json) so DOM, Node and Workers types never
// meet. tsc rewrites the sources' `.ts` specifiers to `.js` in JavaScript but leaves them in
// declarations; they are rewritten here so the .d.ts files read under any TypeScript settings.

import { spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const LAYERS = ["core", "browser", "workers", "node"];

function tsc(layer) {
  const bin = join(root, "node_modules", "typescript", "bin", "tsc");
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, "-p", `build/tsconfig.${layer}.json`], {
      cwd: root,
      stdio: "inherit",
    });
    child.on("error", fail);
    child.on("exit", (code) =>
      code === 0 ? done() : fail(new Error(`the ${layer} build failed (tsc exited ${code})`)),
    );
  });
}

function* declarations(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* declarations(path);
    else if (entry.name.endsWith(".d.ts")) yield path;
  }
}

const RELATIVE_TS = /((?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"']*?)\.ts\2/g;

rmSync(dist, { recursive: true, force: true });
const started = Date.now();
try {
  // Two at a time: the machine this runs on may have only two cores.
  await Promise.all([
    tsc("core").then(() => tsc("browser")),
    tsc("workers").then(() => tsc("node")),
  ]);
} catch (error) {
  console.error(`runlog build: ${error.message}`);
  process.exit(1);
}
let rewritten = 0;
for (const file of declarations(dist)) {
  const text = readFileSync(file, "utf8");
  const out = text.replace(RELATIVE_TS, "$1$2$3.js$2");
  if (out !== text) {
    writeFileSync(file, out);
    rewritten++;
  }
}
// On stderr: `npm pack --json` runs this (prepack) and its stdout must stay JSON.
console.error(
  `runlog build: dist/ from ${LAYERS.length} layers in ${Date.now() - started} ms (${rewritten} declaration files' imports rewritten)`,
);
