import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "vite";

const ENTRY = fileURLToPath(new URL("./counter-run.ts", import.meta.url));

/** The counter runner of bench/lib/counter-run.ts, loaded from a bundle. */
export type BuiltCounterRun = typeof import("./counter-run.ts");

/**
 * Bundles bench/lib/counter-run.ts and the core it imports with Vite's build API into `dir` and
 * loads it: the kernel as a bundler ships it. tsx (what `npm run bench` runs on) compiles with
 * esbuild's `keepNames`, which wraps every function and closure the kernel creates per step in a
 * `__name(...)` call; the bundle has none of that.
 * @throws Error when the bundle still holds `__name` wrappers.
 */
export async function builtCounterRun(dir: string): Promise<BuiltCounterRun> {
  await build({
    configFile: false,
    logLevel: "warn",
    publicDir: false,
    build: {
      ssr: ENTRY,
      outDir: dir,
      emptyOutDir: true,
      minify: false,
      target: "node20",
      rollupOptions: { output: { format: "es", entryFileNames: "counter-run.mjs" } },
    },
  });
  const file = join(dir, "counter-run.mjs");
  if (readFileSync(file, "utf8").includes("__name("))
    throw new Error(`${file} keeps __name wrappers`);
  return (await import(pathToFileURL(file).href)) as BuiltCounterRun;
}
