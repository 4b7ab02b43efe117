import { canonicalJson } from "./canonical-json.ts";
import { KernelError, RunNotFoundError, ValidationError } from "./errors.ts";
import { eventLine, hashEvents } from "./event-hash.ts";
import type { EventStore } from "./event-store.ts";
import { EVENT_TYPES, type Event, type SequencedEvent, sequence } from "./events.ts";
import { assertJsonDepth, MAX_JSON_DEPTH } from "./json-depth.ts";
import { assertPlausibleTimes } from "./log-times.ts";
import { assertConsistentLog, parseEvent } from "./parse-event.ts";
import { summarize } from "./run-index.ts";
import { metaOf } from "./run-meta.ts";

/** The first line of an exported run. */
export interface ExportHeader {
  format: "runlog.run";
  version: 1;
  runId: string;
  head: number;
  hash: string;
}

/** What an export or import produced. */
export interface ExportedRun {
  runId: string;
  head: number;
  hash: string;
}

/**
 * Writes a run's log as NDJSON: a header line `{format, version, runId, head, hash}`, then one
 * canonical line per event. The hash covers the event lines exactly.
 * @throws RunNotFoundError for a run with no events.
 */
export async function exportRun(store: EventStore, runId: string): Promise<string> {
  const events = await store.read(runId, 1);
  if (events.length === 0) throw new RunNotFoundError(runId);
  const header: ExportHeader = {
    format: "runlog.run",
    version: 1,
    runId,
    head: events.length,
    hash: await hashEvents(events),
  };
  let text = `${canonicalJson(header)}\n`;
  for (const se of events) text += `${eventLine(se)}\n`;
  return text;
}

/** Reads an NDJSON export and checks it whole: header, every line, seq order and hash. */
export async function parseExport(
  text: string,
): Promise<{ header: ExportHeader; events: SequencedEvent[] }> {
  if (typeof text !== "string" || text.length === 0)
    throw new ValidationError("the export is empty");
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const header = parseHeader(lines[0] ?? "");
  const events: SequencedEvent[] = [];
  for (let i = 1; i < lines.length; i++) events.push(parseEventLine(lines[i] ?? "", i + 1, i));
  assertConsistentLog(events);
  if (events.length !== header.head) {
    throw new ValidationError(
      `the export's header says ${header.head} events but it holds ${events.length}`,
    );
  }
  const hash = await hashEvents(events);
  if (hash !== header.hash) {
    throw new ValidationError(
      `the export's events hash to ${hash}, not to the header's ${header.hash}: it was changed or cut`,
    );
  }
  return { header, events };
}

/** What `importRun` and `importParsed` take. */
export interface ImportOptions {
  /** The new run's id. Default: the header's. */
  runId?: string;
  /** The importing host's clock: events more than a day after it are refused. */
  now?: number;
  /** Events to record right after the imported ones, in the same append (a host's refusal). */
  then?: Event[];
}

/**
 * Imports an NDJSON export as a new run (its own id, or `runId`), in one atomic append, after
 * checking it whole: lines, seq order, hash, a possible story (`assertConsistentLog`) and
 * plausible times (`assertPlausibleTimes`). Nothing is written when any check fails.
 * @throws ValidationError naming the bad line; KernelError `conflict` when the run already exists.
 */
export async function importRun(
  store: EventStore,
  text: string,
  options: ImportOptions = {},
): Promise<ExportedRun> {
  return importParsed(store, await parseExport(text), options);
}

/**
 * `importRun` of an export already read by `parseExport`.
 * @throws as `importRun`.
 */
export async function importParsed(
  store: EventStore,
  parsed: { header: ExportHeader; events: SequencedEvent[] },
  options: ImportOptions = {},
): Promise<ExportedRun> {
  const { header, events } = parsed;
  assertPlausibleTimes(events, options.now);
  const runId = options.runId ?? header.runId;
  const head = await store.head(runId);
  if (head !== 0)
    throw new KernelError(
      "conflict",
      `run ${runId} already exists with ${head} events; nothing was imported`,
    );
  const lastTs = events[events.length - 1]?.ts ?? 0;
  const then = options.then ?? [];
  const batch =
    then.length === 0
      ? events
      : [...events, ...sequence(then, events.length, Math.max(lastTs, options.now ?? lastTs))];
  const meta = metaOf(batch);
  const summary = summarize(runId, meta, options.now ?? meta.lastTs);
  await store.append(runId, batch, { expectedHead: 0, durability: "strict", summary });
  return { runId, head: batch.length, hash: header.hash };
}

function parseHeader(line: string): ExportHeader {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ValidationError("line 1 of the export is not JSON; it must be the runlog header");
  }
  const h = value as Partial<ExportHeader> | null;
  if (!h || typeof h !== "object" || h.format !== "runlog.run") {
    throw new ValidationError('line 1 of the export is not a runlog header (format "runlog.run")');
  }
  if (h.version !== 1)
    throw new ValidationError(
      `the export has version ${String(h.version)}; this runlog reads version 1`,
    );
  if (typeof h.runId !== "string" || h.runId.length === 0)
    throw new ValidationError("the export's header has no runId");
  if (!Number.isSafeInteger(h.head) || (h.head as number) < 0)
    throw new ValidationError("the export's header has no head");
  if (typeof h.hash !== "string" || !/^[0-9a-f]{64}$/.test(h.hash)) {
    throw new ValidationError("the export's header has no SHA-256 hash");
  }
  return h as ExportHeader;
}

const TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
/** A line wraps a value in at most three objects: the line, its event, the event's action. */
const LINE_WRAPPING = 3;

function parseEventLine(line: string, lineNo: number, wantSeq: number): SequencedEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ValidationError(`line ${lineNo} of the export is not JSON`);
  }
  assertJsonDepth(value, `line ${lineNo} of the export`, MAX_JSON_DEPTH + LINE_WRAPPING);
  const se = value as Partial<SequencedEvent> | null;
  if (!se || typeof se !== "object")
    throw new ValidationError(`line ${lineNo} of the export is not an event`);
  if (se.seq !== wantSeq) {
    throw new ValidationError(
      `line ${lineNo} of the export has seq ${String(se.seq)}, expected ${wantSeq}`,
    );
  }
  if (typeof se.ts !== "number" || !Number.isFinite(se.ts))
    throw new ValidationError(`line ${lineNo} has no numeric ts`);
  const type = (se.event as { type?: unknown } | undefined)?.type;
  if (typeof type !== "string" || !TYPES.has(type)) {
    throw new ValidationError(
      `line ${lineNo} of the export has unknown event type ${JSON.stringify(type)}`,
    );
  }
  return { seq: se.seq, ts: se.ts, event: parseEvent(se.event, `line ${lineNo} of the export`) };
}
