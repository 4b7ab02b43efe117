// How tests start Chromium: the one `npm test` found (CHROMIUM_PATH), else Debian's, with the
// flags that keep it from dialling out on a closed network (without them it retries, refused).
import { existsSync } from "node:fs";

/** Flags for a headless Chromium in tests: no sandbox (root), no GPU, no background networking. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium when present, else undefined (Playwright's own). */
export function chromiumPath(): string | undefined {
  return (
    process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined)
  );
}
