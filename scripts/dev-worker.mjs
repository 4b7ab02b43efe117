// `npm run dev:worker`: the Worker and its Durable Objects under `wrangler dev`, fully offline, on
// 127.0.0.1 (or HOST) and the port in PORT (default 8787). State persists under .wrangler/state.
// A RUNLOG_TOKEN in the environment (or in .dev.vars) turns bearer auth on. Extra arguments go to
// `wrangler dev`.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const wrangler = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "8787";
const args = ["dev", "--ip", host, "--port", port, ...process.argv.slice(2)];
if (process.env.RUNLOG_TOKEN) args.push("--var", `RUNLOG_TOKEN:${process.env.RUNLOG_TOKEN}`);

const child = spawn(process.execPath, [wrangler, ...args], {
  stdio: "inherit",
  env: {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    // Stops wrangler from looking up Cloudflare's hosts: with it, dev runs with no network at all.
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
  },
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
