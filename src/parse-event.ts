import { ActionErrorKind } from "./actions.ts";
import { assertFlags } from "./behaviour-flags.ts";
import { ValidationError } from "./errors.ts";
import {
  EVENT_FORMAT,
  type Event,
  type EventOf,
  type EventType,
  type SequencedEvent,
} from "./events.ts";
import { applyMeta, emptyMeta, pendingActions } from "./run-meta.ts";

type Fields = Record<string, unknown>;

const KINDS: ReadonlySet<string> = new Set(Object.values(ActionErrorKind));

/** Checks one field of an event; throws `ValidationError` naming `where`, the type and the field. */
type Check = (e: Fields, field: string, where: string) => void;

/**
 * How each field of one event type is checked: every field of the core type (`Event`) has an
 * entry, optional exactly where the type's field is optional, and nothing else has one. A field
 * added to an event type and not here (or here and not there) fails to compile.
 */
type EventSpec<E> = {
  [K in Exclude<keyof E, "type">]-?: Partial<Pick<E, K>> extends Pick<E, K>
    ? { optional: true; check: Check }
    : { optional?: never; check: Check };
};

/** Every event type's fields and their checks. */
export type EventSpecs = { [T in EventType]: EventSpec<EventOf<T>> };

const fail = (e: Fields, field: string, where: string, what: string): never => {
  throw new ValidationError(`${where}: ${String(e.type)}.${field} must be ${what}`);
};
const nonEmpty: Check = (e, f, w) => {
  if (typeof e[f] !== "string" || (e[f] as string).length === 0)
    fail(e, f, w, "a non-empty string");
};
const text: Check = (e, f, w) => {
  if (typeof e[f] !== "string") fail(e, f, w, "a string");
};
const whole =
  (min: number): Check =>
  (e, f, w) => {
    if (!Number.isSafeInteger(e[f]) || (e[f] as number) < min)
      fail(e, f, w, `a whole number >= ${min}`);
  };
const finite: Check = (e, f, w) => {
  if (!Number.isFinite(e[f])) fail(e, f, w, "a number");
};
const present: Check = (e, f, w) => {
  if (e[f] === undefined) fail(e, f, w, "present");
};
const anything: Check = () => {};
const format: Check = (e, f, w) => {
  whole(1)(e, f, w);
  if ((e[f] as number) > EVENT_FORMAT) {
    throw new ValidationError(
      `${w}: RunStarted.format ${String(e[f])} is newer than this runlog reads (up to ${EVENT_FORMAT}): upgrade runlog to read this run`,
    );
  }
};
const flags: Check = (e, f, w) => assertFlags(e[f], w);
const action: Check = (e, f, w) => parseAction(e[f], `${w}: ActionRequested.${f}`);
const error: Check = (e, f, w) => parseError(e[f], `${w}: ${String(e.type)}.${f}`);
const randoms: Check = (e, f, w) => {
  const v = e[f];
  if (!Array.isArray(v) || !v.every((n) => typeof n === "number" && n >= 0 && n < 1))
    fail(e, f, w, "a list of numbers in [0, 1)");
};

/** The runtime checks of every event type, tied to `Event` by `EventSpecs`. */
export const EVENT_SPECS: EventSpecs = {
  RunStarted: {
    workflow: { check: nonEmpty },
    version: { check: whole(1) },
    input: { check: present },
    format: { optional: true, check: format },
    flags: { optional: true, check: flags },
  },
  StateUpdated: { stepId: { optional: true, check: nonEmpty }, payload: { check: present } },
  ActionRequested: { actionId: { check: nonEmpty }, action: { check: action } },
  ActionAttemptFailed: {
    actionId: { check: nonEmpty },
    attempt: { check: whole(0) },
    error: { check: error },
    retryAt: { optional: true, check: finite },
  },
  ActionSucceeded: { actionId: { check: nonEmpty }, output: { check: present } },
  ActionFailed: { actionId: { check: nonEmpty }, error: { check: error } },
  Interrupted: { interruptId: { check: nonEmpty }, value: { check: present } },
  Resumed: { interruptId: { optional: true, check: nonEmpty }, value: { check: present } },
  SignalReceived: {
    name: { check: nonEmpty },
    signalId: { check: nonEmpty },
    value: { check: present },
  },
  Completed: { output: { optional: true, check: anything } },
  Cancelled: { reason: { check: text } },
  Forked: { fromRunId: { check: nonEmpty }, atSeq: { check: whole(1) } },
  RandomDrawn: { values: { check: randoms } },
};

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
  const spec = Object.hasOwn(EVENT_SPECS, String(e.type))
    ? (EVENT_SPECS[e.type as EventType] as Record<string, { optional?: boolean; check: Check }>)
    : undefined;
  if (!spec) throw new ValidationError(`${where}: unknown event type ${JSON.stringify(e.type)}`);
  for (const [field, { optional, check }] of Object.entries(spec)) {
    if (optional && e[field] === undefined) continue;
    check(e, field, where);
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
