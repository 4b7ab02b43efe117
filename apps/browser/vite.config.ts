// The in-browser agent session app: a static single-page app on the browser host (IndexedDB, Web
// Locks, BroadcastChannel). `npm run dev:browser` serves it (127.0.0.1, PORT or 5173);
// `npm run build:browser` writes apps/browser/dist with relative paths, so it works under any
// prefix (the Node server mounts it at /app/), plus a service worker that caches the built files
// and the icons from public/.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import type { Server } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultClientConditions, defineConfig, type Plugin } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
const SW = "sw.js";
const PLACEHOLDER = /(["'`])__RUNLOG_SW_MANIFEST__\1/;

/**
 * Writes the list of built files (and a version made from their contents) into `sw.js` once the
 * bundle is on disk, so the service worker caches exactly this build and a new build replaces it.
 */
function serviceWorkerManifest(): Plugin {
  return {
    name: "runlog-sw-manifest",
    apply: "build",
    async writeBundle(options, bundle) {
      const dir = options.dir ?? join(root, "dist");
      // The bundle, and what Vite copied from public/ (the icons) as it is.
      const copied = await readdir(join(root, "public")).catch(() => []);
      const files = [...Object.keys(bundle), ...copied]
        .filter((name) => name !== SW && !name.endsWith(".map"))
        .sort();
      const hash = createHash("sha256");
      for (const name of files) hash.update(name).update(await readFile(join(dir, name)));
      const manifest = { version: hash.digest("hex").slice(0, 16), assets: files };
      const path = join(dir, SW);
      const code = await readFile(path, "utf8");
      if (!PLACEHOLDER.test(code)) throw new Error(`${SW}: the manifest placeholder is missing`);
      const literal = JSON.stringify(JSON.stringify(manifest));
      await writeFile(
        path,
        code.replace(PLACEHOLDER, () => literal),
      );
    },
  };
}

/**
 * Prints the address the dev or preview server listens on: `logLevel: "warn"` hides Vite's own
 * banner, and `npm run dev:browser` printed nothing a user could open.
 */
function printUrl(): Plugin {
  const announce = (httpServer: Server | null) =>
    httpServer?.once("listening", () => {
      const address = httpServer.address();
      if (address === null || typeof address === "string") return;
      const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
      console.log(`runlog in-browser app: http://${host}:${address.port}/`);
    });
  return {
    name: "runlog-print-url",
    configureServer: (server) => void announce(server.httpServer),
    configurePreviewServer: (server) => void announce(server.httpServer),
  };
}

export default defineConfig(({ command }) => ({
  root,
  base: "./",
  // "runlog" and "runlog/idb" resolve to their source through this export condition.
  resolve: { conditions: ["runlog-source", ...defaultClientConditions] },
  define: { __RUNLOG_SW__: JSON.stringify(command === "build") },
  plugins: [serviceWorkerManifest(), printUrl()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
    rolldownOptions: {
      input: { index: join(root, "index.html"), sw: join(root, "src/sw.ts") },
      output: {
        entryFileNames: (chunk) => (chunk.name === "sw" ? SW : "assets/[name]-[hash].js"),
      },
    },
  },
  server: { host: "127.0.0.1", port: Number(process.env.PORT ?? 5173) },
  preview: { host: "127.0.0.1", port: Number(process.env.PORT ?? 4173) },
  logLevel: "warn",
}));
