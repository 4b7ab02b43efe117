import type { Action, ActionErrorData } from "./actions.ts";
import { ValidationError } from "./errors.ts";
import type { SequencedEvent } from "./events.ts";
import type { Json } from "./json.ts";
import { signalBytes } from "./signal-size.ts";

/** The action that was requested and has no terminal outcome yet. */
export interface PendingAction {
  actionId: string;
  action: Action;
  requestedSeq: number;
  requestedAt: number;
  /** Failed attempts recorded so far. */
  attempts: number;
  /** Set while a durable retry backoff runs. */
  retryAt?: number;
  /** Set for a sleep: when it is due. */
  timerAt?: number;
}

/**
 * A signal that arrived and no `waitSignal` has consumed yet: where it is in the log and its size,
 * not its value (read from its event when it is consumed), so snapshots stay small.
 */
export interface BufferedSignal {
  signalId: string;
  name: string;
  seq: number;
  /** The UTF-8 bytes of its name and JSON value, for the run's signal limits. */
  bytes: number;
}

/** How a run ended. */
export type Terminal =
  | { type: "completed"; output?: Json }
  | { type: "failed"; error: ActionErrorData }
  | { type: "cancelled"; reason: string };

/**
 * The kernel's own projection of a log, kept beside the user's state: head, pending action,
 * pending interrupt, buffered signals, budgets used, and how the run ended. Plain data, so it can
 * ride in a snapshot. Its size does not grow with the number of signals a run ever received: which
 * ids were seen is the store's index (`EventStore.signalSeq`), not a list here.
 */
export interface RunMeta {
  head: number;
  firstTs: number;
  lastTs: number;
  /** When the run was forked from another (its first events are the other run's). */
  forkedAt?: number;
  workflow?: { name: string; version: number };
  /** The first action requested and not finished (see `pendingActions` for all of them). */
  pending?: PendingAction;
  /** The other unfinished actions of a batch requested together (`doAll`), in request order. */
  more?: PendingAction[];
  interrupt?: { id: string; value: Json; seq: number };
  signals: BufferedSignal[];
  terminal?: Terminal;
  actions: number;
  toolCalls: number;
  llmTokens: number;
}

/** The meta of a run with no events. */
export function emptyMeta(): RunMeta {
  return {
    head: 0,
    firstTs: 0,
    lastTs: 0,
    signals: [],
    actions: 0,
    toolCalls: 0,
    llmTokens: 0,
  };
}

/**
 * A deep copy, for snapshots.
 * @throws ValidationError when a value in it cannot be written as JSON (too deep, say).
 */
export function cloneMeta(meta: RunMeta): RunMeta {
  try {
    return JSON.parse(JSON.stringify(meta)) as RunMeta;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`a value of the run cannot be stored as JSON: ${why}`, {
      cause: error,
    });
  }
}

/** Folds one committed event into `meta`, in place. */
export function applyMeta(meta: RunMeta, se: SequencedEvent): void {
  if (meta.head === 0) meta.firstTs = se.ts;
  meta.head = se.seq;
  meta.lastTs = se.ts;
  const event = se.event;
  switch (event.type) {
    case "RunStarted":
      meta.workflow = { name: event.workflow, version: event.version };
      return;
    case "ActionRequested": {
      meta.actions += 1;
      if (event.action.type === "callTool") meta.toolCalls += 1;
      const pending: PendingAction = {
        actionId: event.actionId,
        action: event.action,
        requestedSeq: se.seq,
        requestedAt: se.ts,
        attempts: 0,
      };
      if (event.action.type === "sleep") pending.timerAt = se.ts + event.action.ms;
      if (!meta.pending) meta.pending = pending;
      else if (meta.more) meta.more.push(pending);
      else meta.more = [pending];
      return;
    }
    case "ActionAttemptFailed": {
      const pending = findPending(meta, event.actionId);
      if (pending) {
        pending.attempts = event.attempt + 1;
        if (event.retryAt === undefined) delete pending.retryAt;
        else pending.retryAt = event.retryAt;
      }
      return;
    }
    case "ActionSucceeded": {
      const pending = takePending(meta, event.actionId);
      if (!pending) return;
      if (pending.action.type === "waitSignal") consumeSignal(meta, event.output);
      if (pending.action.type === "callLLM") meta.llmTokens += tokensOf(event.output);
      return;
    }
    case "ActionFailed": {
      const pending = takePending(meta, event.actionId);
      if (!pending) return;
      const onFailure = "onFailure" in pending.action ? pending.action.onFailure : undefined;
      // A cancelled action is followed by the run's `Cancelled` in the same commit.
      if (onFailure !== "continue" && event.error.kind !== "cancelled")
        meta.terminal = { type: "failed", error: event.error };
      return;
    }
    case "Interrupted":
      meta.interrupt = { id: event.interruptId, value: event.value, seq: se.seq };
      return;
    case "Resumed":
      delete meta.interrupt;
      return;
    case "SignalReceived":
      meta.signals.push({
        signalId: event.signalId,
        name: event.name,
        seq: se.seq,
        bytes: signalBytes(event.name, event.value),
      });
      return;
    case "Completed":
      meta.terminal =
        event.output === undefined
          ? { type: "completed" }
          : { type: "completed", output: event.output };
      return;
    case "Cancelled":
      delete meta.pending;
      delete meta.more;
      delete meta.interrupt;
      meta.terminal = { type: "cancelled", reason: event.reason };
      return;
    case "Forked":
      meta.forkedAt = se.ts;
      return;
    case "StateUpdated":
    case "RandomDrawn":
      return;
  }
}

/** Every action requested and not finished, in request order. */
export function pendingActions(meta: RunMeta): PendingAction[] {
  if (!meta.pending) return [];
  return meta.more && meta.more.length > 0 ? [meta.pending, ...meta.more] : [meta.pending];
}

function findPending(meta: RunMeta, actionId: string): PendingAction | undefined {
  if (meta.pending?.actionId === actionId) return meta.pending;
  return meta.more?.find((p) => p.actionId === actionId);
}

/** Removes an unfinished action; the next of its batch becomes `pending`. */
function takePending(meta: RunMeta, actionId: string): PendingAction | undefined {
  const pending = meta.pending;
  if (!pending) return undefined;
  if (pending.actionId === actionId) {
    const next = meta.more?.shift();
    if (next) meta.pending = next;
    else delete meta.pending;
    if (meta.more?.length === 0) delete meta.more;
    return pending;
  }
  const more = meta.more;
  const index = more ? more.findIndex((p) => p.actionId === actionId) : -1;
  if (!more || index < 0) return undefined;
  const [taken] = more.splice(index, 1);
  if (more.length === 0) delete meta.more;
  return taken;
}

function consumeSignal(meta: RunMeta, output: Json): void {
  if (typeof output !== "object" || output === null || Array.isArray(output)) return;
  const signalId = output.signalId;
  const index = meta.signals.findIndex((s) => s.signalId === signalId);
  if (index >= 0) meta.signals.splice(index, 1);
}

/** Tokens an LLM output reports in `usage` (OpenAI's or camelCase spelling). */
export function tokensOf(output: Json): number {
  if (typeof output !== "object" || output === null || Array.isArray(output)) return 0;
  const usage = output.usage;
  if (typeof usage !== "object" || usage === null || Array.isArray(usage)) return 0;
  const total = usage.total_tokens ?? usage.totalTokens;
  if (typeof total === "number") return total;
  const parts = [
    usage.prompt_tokens,
    usage.completion_tokens,
    usage.promptTokens,
    usage.completionTokens,
  ];
  return parts.reduce<number>((sum, n) => sum + (typeof n === "number" ? n : 0), 0);
}

/**
 * A meta as an older runlog stored it in a snapshot, brought to today's shape in place: the list of
 * every signal id goes (the store's index answers that now), and unconsumed signals keep their
 * place and size but not their value.
 */
export function upgradeMeta(meta: RunMeta): RunMeta {
  const old = meta as RunMeta & { signalIds?: unknown };
  if ("signalIds" in old) delete old.signalIds;
  const signals = Array.isArray(meta.signals) ? meta.signals : [];
  meta.signals = signals.map((s) => {
    const legacy = s as BufferedSignal & { value?: Json };
    return {
      signalId: legacy.signalId,
      name: legacy.name,
      seq: legacy.seq,
      bytes:
        typeof legacy.bytes === "number"
          ? legacy.bytes
          : signalBytes(legacy.name, legacy.value ?? null),
    };
  });
  return meta;
}

/** The meta of a whole log. */
export function metaOf(events: readonly SequencedEvent[]): RunMeta {
  const meta = emptyMeta();
  for (const se of events) applyMeta(meta, se);
  return meta;
}
