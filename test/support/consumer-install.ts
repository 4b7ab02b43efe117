// Packs runlog the way a release does and installs the tarball into copies of examples/, outside
// this repository, so the consumer tests meet runlog exactly as a user's project does. The package
// is built and packed in a copy of the repository's sources: `npm pack` rebuilds dist/, which
// other test files may be reading at the same time.
import { type ChildProcess, spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const EXAMPLES = ["node-service", "cloudflare-worker", "browser-app"] as const;

/** Offline wrangler: no metrics, no lookups of Cloudflare's hosts, no update checks. */
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  NO_UPDATE_NOTIFIER: "1",
  npm_config_update_notifier: "false",
};

// What a copy of the repository needs to build and pack; the rest stays behind.
const SKIP_TOP = new Set([
  ".git",
  ".wrangler",
  ".runlog",
  "node_modules",
  "dist",
  "test",
  "bench",
  "examples",
  "coverage",
  "test-results",
]);
const SKIP_ANY = new Set(["node_modules", "dist", ".wrangler", ".data"]);

/** Runs a command to its end; rejects with its output when it fails. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...OFFLINE_ENV, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output.slice(-4000)}`)),
    );
  });
}

/** Waits until `line` matches something the process printed; rejects if it exits first. */
export function waitForOutput(child: ChildProcess, line: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(line);
      if (match) {
        child.stdout?.off("data", onData);
        child.stderr?.off("data", onData);
        resolve(match);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`the process exited (${code}) before printing ${line}:\n${output}`)),
    );
  });
}

/** Copies `from` to `to`, leaving out installs and build output. */
function copyTree(from: string, to: string, skipTop: ReadonlySet<string> = new Set()): void {
  cpSync(from, to, {
    recursive: true,
    filter: (source) => {
      const parts = relative(from, source).split(sep);
      if (parts[0] !== undefined && skipTop.has(parts[0])) return false;
      return !parts.some((part) => SKIP_ANY.has(part));
    },
  });
}

/**
 * Packs runlog from a copy of its sources (`npm pack` runs `prepack`, the build) into `dir` and
 * answers the tarball's path.
 */
export async function packRunlog(dir: string): Promise<string> {
  const source = join(dir, "runlog");
  copyTree(ROOT, source, SKIP_TOP);
  symlinkSync(join(ROOT, "node_modules"), join(source, "node_modules"), "dir");
  await run("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: source });
  const tarball = readdirSync(dir).find((name) => /^runlog-.*\.tgz$/.test(name));
  if (tarball === undefined) throw new Error(`npm pack wrote no runlog-*.tgz into ${dir}`);
  return join(dir, tarball);
}

/**
 * Copies the three examples into `dir/<name>`, points their `runlog` dependency at the tarball
 * (what `npm install <tarball>` writes), and installs them in one go as npm workspaces, so their
 * shared dependencies (runlog's own, with better-sqlite3's native build) are installed once.
 * Other dependencies come from the registry, from npm's cache where it has them.
 */
export async function installExamples(dir: string, tarball: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const name of EXAMPLES) {
    copyTree(join(ROOT, "examples", name), join(dir, name));
    const path = join(dir, name, "package.json");
    const manifest = JSON.parse(readFileSync(path, "utf8"));
    manifest.dependencies.runlog = `file:${tarball}`;
    writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify(
      {
        name: "runlog-consumers",
        private: true,
        workspaces: EXAMPLES,
        allowScripts: root.allowScripts,
      },
      null,
      2,
    )}\n`,
  );
  // better-sqlite3 compiles against the installed Node's headers (see the repository's .npmrc).
  cpSync(join(ROOT, ".npmrc"), join(dir, ".npmrc"));
  // Install scripts are skipped only to spare the minutes of compiling better-sqlite3 again: the
  // repository's own build of the same version is reused, else it is rebuilt here as usual.
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], {
    cwd: dir,
  });
  if (!reuseNativeBuild(dir, "better-sqlite3", "build/Release/better_sqlite3.node")) {
    await run("npm", ["rebuild", "better-sqlite3"], { cwd: dir });
  }
}

/** Copies this repository's native build of `pkg` when it is the same version; true if it did. */
function reuseNativeBuild(dir: string, pkg: string, file: string): boolean {
  const version = (at: string) => {
    try {
      return JSON.parse(readFileSync(join(at, "node_modules", pkg, "package.json"), "utf8"))
        .version as string;
    } catch {
      return undefined;
    }
  };
  const ours = version(ROOT);
  if (
    ours === undefined ||
    ours !== version(dir) ||
    !existsSync(join(ROOT, "node_modules", pkg, file))
  )
    return false;
  mkdirSync(dirname(join(dir, "node_modules", pkg, file)), { recursive: true });
  cpSync(join(ROOT, "node_modules", pkg, file), join(dir, "node_modules", pkg, file));
  return true;
}

/** The path of an installed package's bin script, e.g. `bin(dir, "typescript", "bin/tsc")`. */
export function bin(dir: string, pkg: string, path: string): string {
  return join(dir, "node_modules", pkg, path);
}
