// Runs before `npm start`: compiles dist/ (the server runs compiled JavaScript) and builds the web
// UI and the in-browser app when their output is missing or older than their sources, so a fresh
// checkout serves all of it without a separate step.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;

/** The newest modification time under `dir`, leaving out build output and the names in `skip`. */
function newest(dir, skip = []) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules" || skip.includes(entry.name))
      continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const server = join(root, "dist", "apps", "server", "main.js");
const serverBuilt = existsSync(server) ? statSync(server).mtimeMs : 0;
const serverSources = Math.max(
  ...["src", "adapters", "apps/server", "apps/cli", "build"].map((dir) =>
    newest(join(root, dir), ["ui"]),
  ),
);
if (serverBuilt < serverSources) {
  console.log("runlog: compiling dist/ (npm run build)");
  const result = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error("runlog: `npm run build` failed; fix the error above and run `npm start` again");
    process.exit(1);
  }
}

const builds = [
  { name: "web UI", app: "apps/server/ui", script: "build:ui" },
  { name: "in-browser app", app: "apps/browser", script: "build:browser" },
];

for (const { name, app, script } of builds) {
  const index = join(root, app, "dist", "index.html");
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(
    newest(join(root, app)),
    newest(join(root, "apps/ui-kit")),
    newest(join(root, "src")),
  );
  if (built >= sources) continue;
  console.log(`runlog: building the ${name} (npm run ${script})`);
  const result = spawnSync("npm", ["run", "--silent", script], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(
      `runlog: building the ${name} failed; the server starts and says how to build it`,
    );
  }
}
