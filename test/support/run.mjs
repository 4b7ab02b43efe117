// `npm test`: finds a Chromium for the browser project, then runs `vitest run` over every project.
// Order: CHROMIUM_PATH, Debian's /usr/bin/chromium, Playwright's own (installed where the network
// allows). When none can be had it says so in one line and fails, instead of a stack trace.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const packageDir = (name) => dirname(require.resolve(`${name}/package.json`));

function playwrightChromium() {
  try {
    const path = require("playwright").chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function installPlaywrightChromium() {
  const cli = join(packageDir("playwright"), "cli.js");
  const result = spawnSync(process.execPath, [cli, "install", "chromium"], {
    stdio: "ignore",
    timeout: 180_000,
  });
  return result.status === 0;
}

function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return { path: fromEnv };
    return { error: `CHROMIUM_PATH is set to ${fromEnv}, which does not exist` };
  }
  if (existsSync("/usr/bin/chromium")) return { path: "/usr/bin/chromium" };
  const own =
    playwrightChromium() ?? (installPlaywrightChromium() ? playwrightChromium() : undefined);
  if (own) return { path: own };
  return {
    error:
      "no Chromium found (CHROMIUM_PATH unset, no /usr/bin/chromium, `playwright install chromium` failed): install one, e.g. `apt-get install -y chromium`, or set CHROMIUM_PATH",
  };
}

// `npm test -- --project node` needs no browser.
function wantsBrowser() {
  const projects = [];
  args.forEach((arg, i) => {
    if (arg === "--project" && args[i + 1]) projects.push(args[i + 1]);
    else if (arg.startsWith("--project=")) projects.push(arg.slice("--project=".length));
  });
  return projects.length === 0 || projects.some((p) => p.includes("browser") || p.includes("*"));
}

const env = { ...process.env };
if (wantsBrowser()) {
  const found = findChromium();
  if (found.error) {
    console.error(`npm test: ${found.error}`);
    process.exit(1);
  }
  env.CHROMIUM_PATH = found.path;
}

const vitest = join(packageDir("vitest"), "vitest.mjs");
const child = spawn(process.execPath, [vitest, "run", ...args], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
