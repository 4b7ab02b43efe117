import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ApiEnv } from "./api-env.ts";
import { renderDocsPage } from "./docs-page.ts";
import { HealthSchema } from "./response-schemas.ts";
import { jsonResponse as json, type RouteTable } from "./route-table.ts";

/** The OpenAPI document of an app, as `/openapi.json` serves it. */
export type OpenApiDocument = ReturnType<OpenAPIHono<ApiEnv>["getOpenAPI31Document"]>;

const TAGS = [
  { name: "runs", description: "Start, list, read and watch runs." },
  {
    name: "control",
    description: "Answer runs: resume an interrupt, send a signal, cancel; resume tokens.",
  },
  { name: "portability", description: "Fork, export, import and verify runs." },
  { name: "meta", description: "Health and this documentation." },
];

/**
 * Adds `/health`, `/openapi.json` and `/docs`. The document is generated (once, on first request)
 * by zod-to-openapi from the same zod schemas the routes validate with.
 */
export function addDocRoutes(table: RouteTable, app: OpenAPIHono<ApiEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description:
      "The API token (RUNLOG_TOKEN) when one is configured; a resume token for POST /runs/{id}/resume.",
  });
  let document: OpenApiDocument | undefined;
  const doc = (): OpenApiDocument => {
    document ??= app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "runlog HTTP API",
        version: "1",
        // OpenAPI 3.1 names a licence by its SPDX identifier; the generator's types predate it.
        license: { name: "MIT", identifier: "MIT" } as { name: string },
        description:
          'Start runs, watch them and answer them. Errors are `{"error": {"code", "message"}}`; a rejected request appends nothing.',
      },
      // Relative: the document describes the server that serves it, wherever that is.
      servers: [{ url: "/", description: "The server that serves this document." }],
      tags: TAGS,
      security: [{ bearer: [] }],
    });
    return document;
  };

  table.add(
    {
      method: "get",
      path: "/health",
      tag: "meta",
      summary: "Liveness (no auth)",
      access: "public",
      responses: { 200: json("The server is up.", HealthSchema) },
      // No token, but the Host check (a server without a token) applies here too.
      errors: [403],
    },
    (c) => c.json({ ok: true as const }, 200),
  );
  table.add(
    {
      method: "get",
      path: "/openapi.json",
      tag: "meta",
      summary: "This OpenAPI document",
      responses: {
        200: {
          description: "The OpenAPI 3.1 document.",
          content: { "application/json": { schema: { type: "object" } } },
        },
      },
    },
    (c) => c.json(doc(), 200),
  );
  table.add(
    {
      method: "get",
      path: "/docs",
      tag: "meta",
      summary: "This document as a web page",
      responses: {
        200: {
          description: "A self-contained HTML page.",
          content: { "text/html": { schema: { type: "string" } } },
        },
      },
    },
    (c) => c.html(renderDocsPage(doc())),
  );
}
