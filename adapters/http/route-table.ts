import type { OpenAPIHono, RouteConfig } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { ApiEnv } from "./api-env.ts";
import { ApiError } from "./api-error.ts";
import type { Access } from "./auth.ts";
import { limitBody, readJson, readText } from "./body.ts";
import { ErrorSchema } from "./response-schemas.ts";
import { validate } from "./validate.ts";

type Schema = z.ZodType;
type Out<S> = S extends Schema ? z.output<S> : undefined;

/** One route: its OpenAPI description, what it takes, and who may call it. */
export interface RouteSpec<P, Q, H, B> {
  method: "get" | "post";
  /** OpenAPI style: `/runs/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Default `bearer`. */
  access?: Access;
  params?: P;
  query?: Q;
  headers?: H;
  /** A JSON body; `bodyRequired` refuses an empty one, else an empty body parses as `{}`. */
  body?: B;
  bodyRequired?: boolean;
  /** A text body (NDJSON) instead of JSON, with its own size limit. */
  text?: { mediaType: string; schema: Schema; maxBytes: number };
  responses: RouteConfig["responses"];
  /** The error statuses this route answers besides 401/403 (added for protected routes) and 413. */
  errors?: number[];
}

/** What a handler gets: the validated parts of the request. */
export interface RouteInput<P, Q, H, B> {
  params: Out<P>;
  query: Out<Q>;
  headers: Out<H>;
  body: Out<B>;
  text: string;
}

const ERROR_TEXT: Readonly<Record<number, string>> = {
  400: "The request is invalid; the message names the field.",
  401: "No bearer token, or not the right one.",
  403: "The token does not allow this; or, on a server without a token, the Host or Origin is neither loopback nor allowed.",
  404: "No such run.",
  409: "The run is not in a state that allows this.",
  413: "The body is over the limit.",
  415: "The body is not of the media type the route takes (JSON, or NDJSON for an import).",
  501: "Not configured on this server.",
  507: "The server's storage is full: nothing was written; the same request succeeds once space is freed.",
};

/**
 * Registers routes on the app twice from the same zod schemas: in the OpenAPI registry (for
 * /openapi.json) and as Hono handlers that check access, limit the body, then validate.
 */
export class RouteTable {
  readonly #app: OpenAPIHono<ApiEnv>;
  readonly #guard: (access: Access) => MiddlewareHandler<ApiEnv>;
  readonly #maxBodyBytes: number;
  readonly #patterns: Array<{ method: string; pattern: RegExp }> = [];

  constructor(
    app: OpenAPIHono<ApiEnv>,
    guard: (access: Access) => MiddlewareHandler<ApiEnv>,
    maxBodyBytes: number,
  ) {
    this.#app = app;
    this.#guard = guard;
    this.#maxBodyBytes = maxBodyBytes;
  }

  add<
    P extends Schema | undefined = undefined,
    Q extends Schema | undefined = undefined,
    H extends Schema | undefined = undefined,
    B extends Schema | undefined = undefined,
  >(
    spec: RouteSpec<P, Q, H, B>,
    handler: (c: Context<ApiEnv>, input: RouteInput<P, Q, H, B>) => Response | Promise<Response>,
  ): void {
    const access = spec.access ?? "bearer";
    this.#app.openAPIRegistry.registerPath(this.#describe(spec, access));
    const honoPath = spec.path.replace(/\{([^}]+)\}/g, ":$1");
    this.#patterns.push({ method: spec.method.toUpperCase(), pattern: patternOf(honoPath) });
    const middleware: MiddlewareHandler<ApiEnv>[] = [this.#guard(access)];
    if (spec.body || spec.text)
      middleware.push(limitBody(spec.text?.maxBytes ?? this.#maxBodyBytes));
    const handle: MiddlewareHandler<ApiEnv> = async (c) => {
      const input = {
        params: spec.params ? validate(spec.params, c.req.param(), "path parameter") : undefined,
        query: spec.query
          ? validate(spec.query, presentQuery(c.req.query()), "query parameter")
          : undefined,
        headers: spec.headers ? validate(spec.headers, c.req.header(), "header") : undefined,
        body: undefined as unknown,
        text: "",
      };
      if (spec.text) {
        assertTextType(c, spec.text.mediaType);
        input.text = validate(spec.text.schema, await readText(c), "body") as string;
      }
      if (spec.body) {
        const json = await readJson(c);
        if (json === undefined && spec.bodyRequired)
          throw new ApiError(400, "validation", "the request body is required: a JSON object");
        input.body = validate(spec.body, json ?? {}, "body");
      }
      return handler(c, input as RouteInput<P, Q, H, B>);
    };
    this.#app.on(spec.method.toUpperCase(), [honoPath], ...middleware, handle);
  }

  /** The methods routed at `path`, for a 405 that names them. */
  methodsAt(path: string): string[] {
    return [...new Set(this.#patterns.filter((p) => p.pattern.test(path)).map((p) => p.method))];
  }

  #describe<P, Q, H, B>(spec: RouteSpec<P, Q, H, B>, access: Access): RouteConfig {
    const errors = new Set(spec.errors ?? []);
    if (access !== "public") for (const status of [401, 403]) errors.add(status);
    if (spec.body || spec.text) errors.add(413);
    if (spec.body || spec.text) errors.add(415);
    if (spec.method === "post") errors.add(507);
    const responses: RouteConfig["responses"] = { ...spec.responses };
    for (const status of [...errors].sort()) {
      responses[status] = {
        description: ERROR_TEXT[status] ?? "Error.",
        content: { "application/json": { schema: ErrorSchema } },
      };
    }
    const request: NonNullable<RouteConfig["request"]> = {};
    if (spec.params) request.params = spec.params as never;
    if (spec.query) request.query = spec.query as never;
    if (spec.headers) request.headers = spec.headers as never;
    if (spec.body)
      request.body = {
        required: spec.bodyRequired ?? false,
        content: { "application/json": { schema: spec.body as unknown as Schema } },
      };
    if (spec.text)
      request.body = {
        required: true,
        content: { [spec.text.mediaType]: { schema: spec.text.schema } },
      };
    return {
      method: spec.method,
      path: spec.path,
      operationId: operationIdOf(spec.method, spec.path),
      tags: [spec.tag],
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      ...(access === "public" ? { security: [] } : {}),
      request,
      responses,
    };
  }
}

// NDJSON goes by several names; JSON too (an export of one line is a JSON document).
const NDJSON_TYPES =
  /^application\/(x-ndjson|ndjson|jsonl|x-jsonl|jsonlines|x-jsonlines|([a-z0-9.+-]*\+)?json)\s*(;|$)/i;

/**
 * Refuses a text body sent as another media type than NDJSON or JSON (415): a form or text/plain
 * post from another site is never taken for an import. A body without a Content-Type is read.
 * @throws ApiError 415.
 */
function assertTextType(c: Context, mediaType: string): void {
  const type = c.req.header("content-type");
  if (type === undefined || NDJSON_TYPES.test(type)) return;
  throw new ApiError(
    415,
    "unsupported_media_type",
    `send the body as ${mediaType} (or application/json), not ${type.slice(0, 100)}`,
  );
}

/** A JSON response for the OpenAPI document. */
export function jsonResponse(
  description: string,
  schema: Schema,
): { description: string; content: { "application/json": { schema: Schema } } } {
  return { description, content: { "application/json": { schema } } };
}

/**
 * A stable operation id made from the method and the path, so every route has one by
 * construction: `GET /runs/{id}/events` is `getRunsByIdEvents`.
 */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split("/")
    .filter((segment) => segment !== "")
    .flatMap((segment) =>
      segment.startsWith("{") ? ["by", segment.slice(1, -1)] : segment.split(/[^A-Za-z0-9]+/),
    )
    .filter((word) => word !== "");
  return method.toLowerCase() + words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join("");
}

function patternOf(honoPath: string): RegExp {
  const source = honoPath.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/:[A-Za-z]+/g, "[^/]+");
  return new RegExp(`^${source}/?$`);
}

/** The query's parameters without the empty ones: `?status=&limit=` means no status and no limit. */
function presentQuery(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ""));
}
