import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, totalmem } from "node:os";

/** Where a benchmark ran. */
export interface Machine {
  cores: number;
  cpu: string;
  memGiB: number;
  node: string;
  chromium: string;
  workerd: string;
}

const require = createRequire(import.meta.url);

/** The path of the Chromium the browser benchmark drives: CHROMIUM_PATH, else Debian's. */
export function chromiumPath(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

/** Describes this machine: cores, CPU, memory, and the versions of Node, Chromium and workerd. */
export function machine(): Machine {
  const list = cpus();
  return {
    cores: list.length,
    cpu: list[0]?.model.trim() ?? "unknown",
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    chromium: chromiumVersion(),
    workerd: packageVersion("workerd"),
  };
}

/** One line for RESULTS.md. */
export function machineLine(m: Machine): string {
  return `${m.cores} cores (${m.cpu}), ${m.memGiB} GiB, Node ${m.node}, Chromium ${m.chromium}, workerd ${m.workerd}`;
}

function chromiumVersion(): string {
  const path = chromiumPath();
  if (!path) return "not found";
  try {
    const out = execFileSync(path, ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 10_000,
    });
    return /(\d+\.\d+\.\d+\.\d+)/.exec(out)?.[1] ?? out.trim();
  } catch {
    return "unknown";
  }
}

/** The installed version of a package, or `not installed`. */
export function packageVersion(name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return "not installed";
  }
}
