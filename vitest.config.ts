import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { playwright } from "@vitest/browser-playwright";
import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";
import { resolveBrowserPort } from "./test/support/browser-port.ts";
import { CHROMIUM_ARGS, chromiumPath as chromiumExecutable } from "./test/support/chromium.ts";

// `npm test` (test/support/run.mjs) resolves CHROMIUM_PATH before vitest starts; the fallback keeps a
// bare `npx vitest` working. `undefined` means Playwright's own Chromium.
const chromiumPath = chromiumExecutable();
const chromiumArgs = [...CHROMIUM_ARGS];

// Tests import "runlog" by name: the "runlog-source" export condition maps it to src/index.ts.
// Setting conditions replaces Vite's defaults, so they are listed again.
const clientConditions = ["runlog-source", ...defaultClientConditions];
const serverConditions = ["runlog-source", ...defaultServerConditions];
const workerConditions = ["runlog-source", "workerd", "worker", ...defaultClientConditions];

// The browser project's server listens on RUNLOG_TEST_BROWSER_PORT, else on a free port, never on
// one fixed port that a second run on the machine would collide with.
const browserPort = await resolveBrowserPort(process.env);

export default defineConfig({
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    projects: [
      {
        ssr: { resolve: { conditions: serverConditions } },
        test: {
          name: "node",
          environment: "node",
          include: [
            "test/core/**/*.test.ts",
            "test/node/**/*.test.ts",
            "test/portable/**/*.test.ts",
            "test/boundaries.test.ts",
          ],
        },
      },
      {
        resolve: { conditions: clientConditions },
        test: {
          name: "browser",
          include: ["test/portable/**/*.test.ts", "test/browser/**/*.test.ts"],
          browser: {
            enabled: true,
            headless: true,
            api: { host: "127.0.0.1", ...browserPort },
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                ...(chromiumPath === undefined ? {} : { executablePath: chromiumPath }),
                args: chromiumArgs,
              },
            }),
            instances: [{ browser: "chromium" }],
          },
        },
      },
      {
        // The pool's plugin sets only the top-level conditions; its tests resolve through `ssr`.
        resolve: { conditions: workerConditions },
        ssr: { resolve: { conditions: workerConditions } },
        plugins: [
          cloudflareTest({
            // The production Worker plus the Durable Objects only the tests use.
            main: "./apps/worker-test/index.ts",
            wrangler: { configPath: "./apps/worker-test/wrangler.toml" },
          }),
        ],
        test: {
          name: "workers",
          include: ["test/portable/**/*.test.ts", "test/workers/**/*.test.ts"],
          // Drops the workerd log lines a passing run produces on purpose (listed in the file).
          globalSetup: ["./test/support/workerd-log-filter.ts"],
        },
      },
    ],
  },
});
