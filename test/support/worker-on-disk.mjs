// Runs the production Worker (wrangler.toml) under workerd with its Durable Objects' storage
// persisted in the directory given as the first argument, and prints `url <origin>` once it
// listens. Started inside a private mount namespace whose small tmpfs is that directory (see
// test/node/worker-storage-full.test.ts), it is the Worker on a disk that fills up for real.
// Standard input takes commands, one a line: `free` deletes the file `ballast` in the directory
// (space comes back) and prints `freed`; `restart` stops workerd and starts it again on the same
// storage and prints the new `url`. It stops when its standard input closes.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { unstable_startWorker } from "wrangler";

const [dir, token] = process.argv.slice(2);
process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";

async function start() {
  const worker = await unstable_startWorker({
    config: "wrangler.toml",
    bindings: { RUNLOG_TOKEN: { type: "secret_text", value: token } },
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: dir,
      logLevel: "warn",
    },
  });
  await worker.ready;
  console.log(`url ${(await worker.url).origin}`);
  return worker;
}

let worker = await start();
for await (const line of createInterface({ input: process.stdin })) {
  if (line === "free") {
    rmSync(join(dir, "ballast"), { force: true });
    console.log("freed");
  } else if (line === "restart") {
    await worker.dispose();
    worker = await start();
  }
}
await worker.dispose();
process.exit(0);
