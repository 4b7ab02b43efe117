import { ActionErrorKind } from "./actions.ts";
import { ValidationError } from "./errors.ts";
import { EVENT_FORMAT, type Event, type SequencedEvent } from "./events.ts";
import { applyMeta, emptyMeta, pendingActions } from "./run-meta.ts";

type Fields = Record<string, unknown>;

const KINDS: ReadonlySet<string> = new Set(Object.values(ActionErrorKind));

/**
 * Checks that an untrusted value is a well-formed event of its type: every field there, of its
 * type. Imports and forks call it; the kernel's own events need no check.
 * @throws ValidationError naming `where` and the field.
 */
export function parseEvent(value: unknown, where: string): Event {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError(`${where}: the event is not an object`);
  }
  const e = value as Fields;
  const need = (ok: boolean, field: string, what: string) => {
    if (!ok) throw new ValidationError(`${where}: ${String(e.type)}.${field} must be ${what}`);
  };
  const str = (field: string) =>
    need(
      typeof e[field] === "string" && (e[field] as string).length > 0,
      field,
      "a non-empty string",
    );
  const present = (field: string) => need(e[field] !== undefined, field, "present");
  const int = (field: string, min: number) =>
    need(
      Number.isSafeInteger(e[field]) && (e[field] as number) >= min,
      field,
      `a whole number >= ${min}`,
    );
  const optional = (field: string, check: () => void) => {
    if (e[field] !== undefined) check();
  };
  switch (e.type) {
    case "RunStarted":
      str("workflow");
      int("version", 1);
      present("input");
      optional("format", () => {
        int("format", 1);
        if ((e.format as number) > EVENT_FORMAT) {
          throw new ValidationError(
            `${where}: RunStarted.format ${String(e.format)} is newer than this runlog reads (up to ${EVENT_FORMAT}): upgrade runlog to read this run`,
          );
        }
      });
      break;
    case "StateUpdated":
      optional("stepId", () => str("stepId"));
      present("payload");
      break;
    case "ActionRequested":
      str("actionId");
      parseAction(e.action, `${where}: ActionRequested.action`);
      break;
    case "ActionAttemptFailed":
      str("actionId");
      int("attempt", 0);
      parseError(e.error, `${where}: ActionAttemptFailed.error`);
      optional("retryAt", () => need(Number.isFinite(e.retryAt), "retryAt", "a number"));
      break;
    case "ActionSucceeded":
      str("actionId");
      present("output");
      break;
    case "ActionFailed":
      str("actionId");
      parseError(e.error, `${where}: ActionFailed.error`);
      break;
    case "Interrupted":
      str("interruptId");
      present("value");
      break;
    case "Resumed":
      optional("interruptId", () => str("interruptId"));
      present("value");
      break;
    case "SignalReceived":
      str("name");
      str("signalId");
      present("value");
      break;
    case "Completed":
      break;
    case "Cancelled":
      need(typeof e.reason === "string", "reason", "a string");
      break;
    case "Forked":
      str("fromRunId");
      int("atSeq", 1);
      break;
    case "RandomDrawn":
      need(
        Array.isArray(e.values) &&
          (e.values as unknown[]).every((v) => typeof v === "number" && v >= 0 && v < 1),
        "values",
        "a list of numbers in [0, 1)",
      );
      break;
    default:
      throw new ValidationError(`${where}: unknown event type ${JSON.stringify(e.type)}`);
  }
  return value as Event;
}

function parseAction(value: unknown, where: string): void {
  const a = value as Fields | null;
  if (typeof a !== "object" || a === null) throw new ValidationError(`${where} must be an object`);
  const fail = (what: string) => {
    throw new ValidationError(`${where}: ${what}`);
  };
  switch (a.type) {
    case "callTool":
      if (typeof a.tool !== "string" || a.tool.length === 0)
        fail("tool must be a non-empty string");
      if (a.input === undefined) fail("input must be present");
      break;
    case "callLLM":
      if (typeof a.provider !== "string" || a.provider.length === 0)
        fail("provider must be a non-empty string");
      if (a.input === undefined) fail("input must be present");
      break;
    case "sleep":
      if (typeof a.ms !== "number" || !Number.isFinite(a.ms) || a.ms < 0)
        fail("ms must be a number >= 0");
      break;
    case "waitSignal":
      if (typeof a.name !== "string" || a.name.length === 0)
        fail("name must be a non-empty string");
      break;
    default:
      fail(`type must be callTool, callLLM, sleep or waitSignal, not ${JSON.stringify(a.type)}`);
  }
  if (a.onFailure !== undefined && a.onFailure !== "failRun" && a.onFailure !== "continue") {
    fail('onFailure must be "failRun" or "continue"');
  }
}

function parseError(value: unknown, where: string): void {
  const e = value as Fields | null;
  if (typeof e !== "object" || e === null) throw new ValidationError(`${where} must be an object`);
  if (typeof e.kind !== "string" || !KINDS.has(e.kind)) {
    throw new ValidationError(`${where}.kind must be one of ${[...KINDS].join(", ")}`);
  }
  if (typeof e.message !== "string") throw new ValidationError(`${where}.message must be a string`);
}

/**
 * Checks that a log tells a possible story: `RunStarted` only first, `Forked` right after the
 * copied seq, outcomes only for the pending action, resumes only while interrupted, nothing after
 * the run ended, one request at a time. Imports and forks both hold a log to it.
 * @throws ValidationError naming the first seq that could not have been written by a kernel.
 */
export function assertConsistentLog(events: readonly SequencedEvent[]): void {
  const meta = emptyMeta();
  const signalIds = new Set<string>();
  let previous: SequencedEvent | undefined;
  for (const se of events) {
    const e = se.event;
    const at = `seq ${se.seq}`;
    if (meta.terminal)
      throw new ValidationError(`${at}: ${e.type} comes after the run ${meta.terminal.type}`);
    switch (e.type) {
      case "RunStarted":
        if (meta.head > 0)
          throw new ValidationError(
            `${at}: RunStarted comes after the run started (only seq 1 may start it)`,
          );
        break;
      case "Forked":
        if (e.atSeq !== se.seq - 1)
          throw new ValidationError(`${at}: Forked at seq ${e.atSeq} must follow seq ${e.atSeq}`);
        break;
      case "ActionRequested": {
        // Requests of one batch (`doAll`) follow each other in one commit.
        const sameBatch = previous?.event.type === "ActionRequested" && previous.ts === se.ts;
        if (meta.pending && !sameBatch)
          throw new ValidationError(
            `${at}: a new request while ${meta.pending.actionId} has no outcome`,
          );
        break;
      }
      case "ActionAttemptFailed":
      case "ActionSucceeded":
      case "ActionFailed":
        if (!pendingActions(meta).some((p) => p.actionId === e.actionId)) {
          throw new ValidationError(
            `${at}: ${e.type} for ${e.actionId}, which is not the pending action`,
          );
        }
        break;
      case "Resumed":
        if (!meta.interrupt)
          throw new ValidationError(`${at}: Resumed while no interrupt was pending`);
        break;
      case "Interrupted":
        if (meta.interrupt)
          throw new ValidationError(`${at}: Interrupted while ${meta.interrupt.id} is pending`);
        break;
      case "SignalReceived":
        if (signalIds.has(e.signalId))
          throw new ValidationError(`${at}: signal ${e.signalId} is recorded twice`);
        signalIds.add(e.signalId);
        break;
      default:
        break;
    }
    applyMeta(meta, se);
    previous = se;
  }
}
