/**
 * runlog's HTTP API: one Hono app over a `RunHost`, served unchanged by the Node server and the
 * Worker. zod validates every input, the OpenAPI document at `/openapi.json` (and `/docs`) is made
 * from the same schemas, and a bearer token guards it when one is configured.
 *
 * ```ts
 * const app = createRunApi({ host: createMemoryHost({ workflows: demoWorkflows, executor: demoExecutor() }) });
 * const response = await app.request("/runs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ workflow: "demo.approval", input: { text: "hi" } }) });
 * ```
 */
export type { ApiEnv } from "./api-env.ts";
export type { ErrorBody, ErrorStatus } from "./api-error.ts";
export { ApiError, toErrorResponse } from "./api-error.ts";
export type { Access, AuthOptions } from "./auth.ts";
export type { FlatEvent } from "./flat-event.ts";
export { flatEvent } from "./flat-event.ts";
export type { OpenApiDocument } from "./openapi.ts";
export type { CorsOptions, LimitOptions, RunApiOptions } from "./run-api.ts";
export { createRunApi } from "./run-api.ts";
