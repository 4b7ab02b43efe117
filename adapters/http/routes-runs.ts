import type { ApiContext } from "./api-context.ts";
import { flatEvent } from "./flat-event.ts";
import {
  EventsQuery,
  ListRunsQuery,
  RunParams,
  StartRunBody,
  WaitQuery,
} from "./request-schemas.ts";
import {
  EventsPageSchema,
  RunInfoSchema,
  RunPageSchema,
  TimelineSchema,
  WorkflowsSchema,
} from "./response-schemas.ts";
import { jsonResponse as json, type RouteTable } from "./route-table.ts";

/** Starting, listing and reading runs, and the workflows a host runs. */
export function addRunRoutes(table: RouteTable, { host }: ApiContext): void {
  table.add(
    {
      method: "get",
      path: "/workflows",
      tag: "runs",
      summary: "The workflows this host runs",
      responses: { 200: json("The workflows.", WorkflowsSchema) },
    },
    (c) => c.json({ workflows: host.workflows() }, 200),
  );

  table.add(
    {
      method: "post",
      path: "/runs",
      tag: "runs",
      summary: "Start a run",
      description:
        "Answers 201 once the run is recorded (the host drives it in the background; `?wait=true` answers once it has blocked or ended). The same `runId`, workflow and input again answers 200 with the existing run; another workflow or other input is a 409.",
      query: WaitQuery,
      body: StartRunBody,
      bodyRequired: true,
      responses: {
        201: json("The run was started.", RunInfoSchema),
        200: json("The run existed already.", RunInfoSchema),
      },
      errors: [400, 409],
    },
    async (c, { query, body }) => {
      // No input: the host gives a workflow that declares its input an empty object.
      const started = await host.start(body.workflow, body.input, {
        ...(body.runId === undefined ? {} : { runId: body.runId }),
        ...(body.version === undefined ? {} : { version: body.version }),
        ...(query.wait ? { wait: true } : {}),
      });
      const { existed, ...info } = started;
      return c.json(info, existed ? 200 : 201);
    },
  );

  table.add(
    {
      method: "get",
      path: "/runs",
      tag: "runs",
      summary: "List runs, newest first",
      query: ListRunsQuery,
      responses: {
        200: json("A page of runs; pass `nextCursor` as `cursor` for the next.", RunPageSchema),
      },
      errors: [400],
    },
    async (c, { query }) => {
      const page = await host.list({
        limit: query.limit ?? 50,
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      });
      return c.json(page, 200);
    },
  );

  table.add(
    {
      method: "get",
      path: "/runs/{id}",
      tag: "runs",
      summary: "A run as it stands",
      params: RunParams,
      responses: { 200: json("The run.", RunInfoSchema) },
      errors: [400, 404],
    },
    async (c, { params }) => c.json(await host.get(params.id), 200),
  );

  table.add(
    {
      method: "get",
      path: "/runs/{id}/events",
      tag: "runs",
      summary: "A run's events",
      params: RunParams,
      query: EventsQuery,
      responses: {
        200: json("Events from `from`, at most `limit`, and the run's head.", EventsPageSchema),
      },
      errors: [400, 404],
    },
    async (c, { params, query }) => {
      const page = await host.events(params.id, query.from ?? 1, query.limit ?? 100);
      return c.json({ events: page.events.map(flatEvent), head: page.head }, 200);
    },
  );

  table.add(
    {
      method: "get",
      path: "/runs/{id}/timeline",
      tag: "runs",
      summary: "A run's timeline",
      params: RunParams,
      responses: { 200: json("The timeline.", TimelineSchema) },
      errors: [400, 404],
    },
    async (c, { params }) => c.json(await host.timeline(params.id), 200),
  );
}
