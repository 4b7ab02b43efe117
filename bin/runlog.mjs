#!/usr/bin/env node
// `runlog` (npx runlog …): runs the CLI's TypeScript source (apps/cli/main.ts) in a child Node
// with tsx as its loader and the "runlog-source" export condition, so no build step is needed.
// tsx is a devDependency for now: this works in a checkout after `npm install`.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../apps/cli/main.ts", import.meta.url));
let tsx;
try {
  tsx = import.meta.resolve("tsx");
} catch {
  process.stderr.write(
    "runlog: tsx is not installed; run `npm install` in the runlog checkout first\n",
  );
  process.exit(1);
}

const child = spawn(
  process.execPath,
  [
    "--conditions=runlog-source",
    "--import",
    tsx,
    "--no-warnings=ExperimentalWarning",
    main,
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);
// The terminal sends Ctrl-C to the child too; a signal sent to this process alone is passed on.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
