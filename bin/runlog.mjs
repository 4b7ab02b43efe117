#!/usr/bin/env node
// `runlog` (npx runlog …): runs the compiled CLI (dist/apps/cli/main.js) in this process. In a
// checkout without a build it says to run `npm run build`, or, when tsx is installed there, runs
// the TypeScript source through it.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const compiled = new URL("../dist/apps/cli/main.js", import.meta.url);

if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  let tsx;
  try {
    tsx = import.meta.resolve("tsx");
  } catch {
    process.stderr.write(
      "runlog: the CLI is not built (no dist/); run `npm run build` in the runlog checkout\n",
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
      fileURLToPath(new URL("../apps/cli/main.ts", import.meta.url)),
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
}
