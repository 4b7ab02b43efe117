import type { Event } from "../../src/index.ts";
import type { ApiContext } from "./api-context.ts";
import { ForkBody, ImportQuery, NdjsonSchema, RunParams, WaitQuery } from "./request-schemas.ts";
import { ImportedSchema, RunInfoSchema, VerifySchema } from "./response-schemas.ts";
import { jsonResponse as json, type RouteTable } from "./route-table.ts";

const NDJSON = "application/x-ndjson";

/** Time travel and moving runs: fork, export, import, verify. */
export function addPortabilityRoutes(table: RouteTable, { host, importBytes }: ApiContext): void {
  table.add(
    {
      method: "post",
      path: "/runs/{id}/fork",
      tag: "portability",
      summary: "Fork a run at a seq into a new run",
      description:
        "Copies the events up to `atSeq` into a new run, records `Forked` and the `alternate` events, and continues the new run live. 409 when `newRunId` exists.",
      params: RunParams,
      query: WaitQuery,
      body: ForkBody,
      bodyRequired: true,
      responses: { 201: json("The new run.", RunInfoSchema) },
      errors: [400, 404, 409],
    },
    async (c, { params, query, body }) => {
      const info = await host.fork(params.id, body.atSeq, {
        ...(body.newRunId === undefined ? {} : { newRunId: body.newRunId }),
        ...(body.alternate === undefined ? {} : { alternate: body.alternate as Event[] }),
        ...(query.wait ? { wait: true } : {}),
      });
      return c.json(info, 201);
    },
  );

  table.add(
    {
      method: "get",
      path: "/runs/{id}/export",
      tag: "portability",
      summary: "Export a run as NDJSON",
      description:
        "A header line `{format, version, runId, head, hash}`, then one canonical line per event.",
      params: RunParams,
      responses: {
        200: { description: "The run's log.", content: { [NDJSON]: { schema: NdjsonSchema } } },
      },
      errors: [400, 404],
    },
    async (c, { params }) => {
      const text = await host.exportRun(params.id);
      return c.body(text, 200, {
        "content-type": `${NDJSON}; charset=utf-8`,
        "content-disposition": `attachment; filename="${params.id}.ndjson"`,
      });
    },
  );

  table.add(
    {
      method: "post",
      path: "/runs/import",
      tag: "portability",
      summary: "Import an NDJSON export as a new run",
      description: `The export is checked whole (lines, seqs, hash) before anything is written; the run then continues on this host. Its own size limit (default 16 MiB) applies.`,
      query: ImportQuery,
      text: { mediaType: NDJSON, schema: NdjsonSchema.min(1, "is empty"), maxBytes: importBytes },
      responses: { 201: json("The imported run.", ImportedSchema) },
      errors: [400, 409],
    },
    async (c, { query, text }) => {
      const imported = await host.importRun(
        text,
        query.runId === undefined ? {} : { runId: query.runId },
      );
      return c.json(imported, 201);
    },
  );

  table.add(
    {
      method: "get",
      path: "/runs/{id}/verify",
      tag: "portability",
      summary: "Re-drive a run over its log and report the first divergence",
      params: RunParams,
      responses: {
        200: json("The report (`ok` false names the first diverging seq).", VerifySchema),
      },
      errors: [400, 404, 409],
    },
    async (c, { params }) => c.json(await host.verify(params.id), 200),
  );
}
