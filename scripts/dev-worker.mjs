// `npm run dev:worker`: the Worker and its Durable Objects under `wrangler dev`, fully offline, on
// 127.0.0.1 (or HOST) and the port in PORT (default 8787). State persists under .wrangler/state.
// A RUNLOG_TOKEN in the environment (or in .dev.vars) turns bearer auth on. Extra arguments go to
// `wrangler dev`.
//
// The token never appears on a command line (`ps` shows those to every user): it goes to wrangler
// in an env file of its own, mode 600 in a private temporary directory, removed when dev stops.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL("..", import.meta.url));
const wrangler = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "8787";
const args = ["dev", "--ip", host, "--port", port];

const token = process.env.RUNLOG_TOKEN;
let secretsDir;
if (token) {
  // A dotenv line: single quotes keep the value literal, `\$` stops wrangler's `$VAR` expansion.
  if (/['\r\n]/.test(token)) {
    console.error(
      "npm run dev:worker: RUNLOG_TOKEN holds a quote or a line break, which cannot be passed to wrangler; put it in .dev.vars instead",
    );
    process.exit(2);
  }
  secretsDir = mkdtempSync(join(tmpdir(), "runlog-dev-worker-"));
  const file = join(secretsDir, "token.env");
  writeFileSync(file, `RUNLOG_TOKEN='${token.replaceAll("$", "\\$")}'\n`, { mode: 0o600 });
  // Given env files, wrangler reads only those: pass on the ones it would have read by itself
  // (.dev.vars, else .env and .env.local), the token's last so that it wins.
  const own = existsSync(join(root, ".dev.vars"))
    ? [".dev.vars"]
    : [".env", ".env.local"].filter((name) => existsSync(join(root, name)));
  for (const name of own) args.push("--env-file", join(root, name));
  args.push("--env-file", file);
}
args.push(...process.argv.slice(2));

const removeSecrets = () => {
  if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
  secretsDir = undefined;
};

const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  // Stops wrangler from looking up Cloudflare's hosts: with it, dev runs with no network at all.
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  // The banner is where wrangler asks the npm registry for a newer version; hiding it skips that.
  WRANGLER_HIDE_BANNER: "true",
  // Env files are read only when this is on (its default); the token depends on it.
  CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV: "true",
};
delete env.RUNLOG_TOKEN;

const child = spawn(process.execPath, [wrangler, ...args], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
process.on("exit", removeSecrets);
child.on("exit", (code, signal) => {
  removeSecrets();
  process.exit(code ?? (signal ? 1 : 0));
});
