// The web UI for the server's runs: a static single-page app that `apps/server` serves at `/`.
// `npm run build:ui` writes it to apps/server/ui/dist; `npm run dev:ui` serves it with hot reload
// and forwards API calls to a running server (RUNLOG_API, default http://127.0.0.1:8787).
import { fileURLToPath } from "node:url";
import { defaultClientConditions, defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
const api = process.env.RUNLOG_API ?? "http://127.0.0.1:8787";
const apiPaths = ["/runs", "/workflows", "/health", "/openapi.json"];

export default defineConfig({
  root,
  base: "/",
  // The UI imports only types from "runlog"; the condition keeps resolution on the source.
  resolve: { conditions: ["runlog-source", ...defaultClientConditions] },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", reportCompressedSize: false },
  server: {
    host: process.env.HOST ?? "127.0.0.1",
    port: Number(process.env.UI_PORT ?? 5173),
    // The API refuses writes from other origins: the proxy presents the API's own.
    proxy: Object.fromEntries(
      apiPaths.map((path) => [path, { target: api, changeOrigin: true, headers: { origin: api } }]),
    ),
  },
  logLevel: "warn",
});
