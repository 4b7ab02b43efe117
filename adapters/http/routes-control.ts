import { type Json, KernelError, mintResumeToken, type RunHost } from "../../src/index.ts";
import { canonicalJson } from "../../src/store-kit/index.ts";
import type { ApiContext } from "./api-context.ts";
import { ApiError } from "./api-error.ts";
import {
  CancelBody,
  ResumeBody,
  ResumeTokenBody,
  RunParams,
  SignalBody,
  SignalHeaders,
  SignalParams,
  WaitQuery,
} from "./request-schemas.ts";
import { ResumeTokenSchema, RunInfoSchema } from "./response-schemas.ts";
import { jsonResponse as json, type RouteTable } from "./route-table.ts";

const DAY_SECONDS = 24 * 3600;

/** Answering a run: resume, signals, cancel, and the resume tokens a human approver gets. */
export function addControlRoutes(table: RouteTable, { host, resumeSecret, now }: ApiContext): void {
  table.add(
    {
      method: "post",
      path: "/runs/{id}/resume",
      tag: "control",
      summary: "Answer the interrupt the run waits on",
      description:
        "409 when the run is not waiting on an interrupt (or on another one than `interruptId`); of concurrent answers to one interrupt exactly one is taken. Also open to the bearer of a resume token for this run and interrupt.",
      access: "resume",
      params: RunParams,
      query: WaitQuery,
      body: ResumeBody,
      bodyRequired: true,
      responses: { 200: json("The interrupt was answered; the run goes on.", RunInfoSchema) },
      errors: [400, 404, 409],
    },
    async (c, { params, query, body }) => {
      let interruptId = body.interruptId;
      const grant = c.get("grant");
      if (grant) {
        const current = (await host.get(params.id)).blocked?.interrupt?.id;
        const other = interruptId ?? current;
        if (other !== undefined && other !== grant.interruptId) {
          throw new ApiError(
            403,
            "forbidden",
            `the resume token is for interrupt ${grant.interruptId}, not ${other}`,
          );
        }
        interruptId = grant.interruptId;
      }
      const info = await host.resume(params.id, (body.value ?? null) as Json, {
        ...(interruptId === undefined ? {} : { interruptId }),
        ...(query.wait ? { wait: true } : {}),
      });
      return c.json(info, 200);
    },
  );

  table.add(
    {
      method: "post",
      path: "/runs/{id}/signals/{name}",
      tag: "control",
      summary: "Send a named signal",
      description:
        "With an `Idempotency-Key` (the signal's id), the same request again appends nothing and answers 202; the same key with another signal name or value is a 409 that appends nothing. 409 when the run has ended.",
      params: SignalParams,
      query: WaitQuery,
      headers: SignalHeaders,
      body: SignalBody,
      responses: {
        202: json("The signal is recorded; a run waiting for it goes on.", RunInfoSchema),
      },
      errors: [400, 404, 409],
    },
    async (c, { params, query, headers, body }) => {
      const key = headers["idempotency-key"];
      try {
        const info = await host.signal(params.id, params.name, (body.value ?? null) as Json, {
          ...(key === undefined ? {} : { signalId: key }),
          ...(query.wait ? { wait: true } : {}),
        });
        return c.json(info, 202);
      } catch (error) {
        // The core refuses any signal to an ended run, even a repeat of one it took: a retry of a
        // signal that ended the run is answered as the first was.
        if (key !== undefined && KernelError.is(error) && error.code === "conflict") {
          const recorded = await recordedSignal(host, params.id, key);
          if (recorded && sameSignal(recorded, params.name, body.value ?? null))
            return c.json(await host.get(params.id), 202);
          if (recorded) throw reusedKey(key, recorded.name, params.name);
        }
        throw error;
      }
    },
  );

  table.add(
    {
      method: "post",
      path: "/runs/{id}/cancel",
      tag: "control",
      summary: "Cancel a run",
      params: RunParams,
      body: CancelBody,
      responses: { 200: json("The run is cancelled.", RunInfoSchema) },
      errors: [400, 404, 409],
    },
    async (c, { params, body }) =>
      c.json(await host.cancel(params.id, body.reason ?? "cancelled"), 200),
  );

  table.add(
    {
      method: "post",
      path: "/runs/{id}/resume-tokens",
      tag: "control",
      summary: "Mint a resume token for the run's pending interrupt",
      description:
        "The token allows only `POST /runs/{id}/resume` of this run and this interrupt, until it expires: the link for a human approver. 404 for an unknown run; 409 when the run is not waiting on an interrupt; 501 when no token or resume secret is configured.",
      params: RunParams,
      body: ResumeTokenBody,
      responses: { 201: json("The token.", ResumeTokenSchema) },
      errors: [400, 404, 409, 501],
    },
    async (c, { params, body }) => {
      // An unknown run is a 404 whatever this server is configured with.
      const run = await host.get(params.id);
      if (resumeSecret === undefined) {
        throw new ApiError(
          501,
          "not_configured",
          "resume tokens need auth.token or auth.resumeSecret to be configured",
        );
      }
      const interrupt = run.blocked?.interrupt;
      if (!interrupt)
        throw new ApiError(409, "not_blocked", `run ${params.id} is not waiting on an interrupt`);
      const ttlMs = (body.ttlSeconds ?? DAY_SECONDS) * 1000;
      const at = now();
      const token = await mintResumeToken(resumeSecret, {
        runId: params.id,
        interruptId: interrupt.id,
        ttlMs,
        now: at,
      });
      return c.json(
        { token, runId: params.id, interruptId: interrupt.id, expiresAt: at + ttlMs },
        201,
      );
    },
  );
}

/** The signal the run's log holds under this id, if any. */
async function recordedSignal(
  host: RunHost,
  runId: string,
  signalId: string,
): Promise<{ name: string; value: Json } | undefined> {
  for (let from = 1; ; ) {
    const { events, head } = await host.events(runId, from, 1000);
    for (const se of events)
      if (se.event.type === "SignalReceived" && se.event.signalId === signalId) return se.event;
    const last = events[events.length - 1];
    if (!last || last.seq >= head) return undefined;
    from = last.seq + 1;
  }
}

function sameSignal(
  recorded: { name: string; value: Json },
  name: string,
  value: unknown,
): boolean {
  return recorded.name === name && canonicalJson(recorded.value) === canonicalJson(value as Json);
}

/** The answer to an Idempotency-Key used before for another request (the IETF draft's 409/422). */
function reusedKey(key: string, recorded: string, given: string): ApiError {
  const what =
    recorded === given
      ? `signal ${recorded} with another value`
      : `signal ${recorded}, not ${given}`;
  return new ApiError(
    409,
    "conflict",
    `Idempotency-Key ${key.slice(0, 200)} was already used for ${what}; nothing was recorded: send a new key for a new signal`,
  );
}
