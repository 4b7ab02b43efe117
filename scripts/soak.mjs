// `npm run soak`: the crash-recovery suites for a long time with a random seed, printed first so a
// failure can be replayed with `SOAK_SEED=<seed> npm run soak`. SOAK_RUNS sets the cases per store
// (default 20x CI's); extra arguments go to vitest (e.g. a file filter).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const seed = process.env.SOAK_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
console.log(
  `soak: seed ${seed}${process.env.SOAK_RUNS ? `, ${process.env.SOAK_RUNS} cases per store` : ""}`,
);
console.log(`soak: replay with SOAK_SEED=${seed} npm run soak`);

const vitest = join(dirname(require.resolve("vitest/package.json")), "vitest.mjs");
const args = process.argv.slice(2);
const files = args.length > 0 ? args : ["test/node/reliability/"];
const child = spawn(process.execPath, [vitest, "run", "--project", "node", ...files], {
  stdio: "inherit",
  env: { ...process.env, SOAK: "1", SOAK_SEED: seed },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  console.log(`soak: seed ${seed} ${code === 0 ? "passed" : "FAILED"}`);
  process.exit(code ?? (signal ? 1 : 0));
});
