import { ErrorCode, KernelError, ValidationError } from "../../src/index.ts";
import type { SqlStorageLike } from "./sql-storage.ts";

/**
 * Bytes per row of `runlog_chunks`, and the largest body kept inline. Durable Object SQLite refuses
 * a value or row over 2 MB; half of that leaves room for the other columns.
 */
export const CHUNK_BYTES = 1024 * 1024;

/** The largest event or snapshot, as UTF-8 JSON, the DurableObjectStore takes: 16 MiB. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** A JSON text ready to write: `inline` in its row, or (`inline` null) split into UTF-8 byte chunks. */
export type EncodedBody = { inline: string | null; parts: readonly Uint8Array[] };

/** What a chunk belongs to: an event (at its seq) or the run's snapshot (seq 0). */
export type ChunkKind = "event" | "snapshot";

/**
 * The JSON of `value`, inline when it fits one row, else cut into `CHUNK_BYTES` pieces of its UTF-8
 * bytes (bytes, not characters, so multi-byte text reassembles exactly).
 * @throws ValidationError when it cannot be serialized, or is over `MAX_BODY_BYTES`; `what` names it.
 */
export function encodeJson(value: unknown, what: string): EncodedBody {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new ValidationError(`${what} cannot be stored as JSON: ${String(cause)}`, { cause });
  }
  if (text === undefined) throw new ValidationError(`${what} cannot be stored as JSON`);
  // Each UTF-16 unit is at most 3 UTF-8 bytes: most bodies need no encoding to be measured.
  if (text.length * 3 <= CHUNK_BYTES) return { inline: text, parts: [] };
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= CHUNK_BYTES) return { inline: text, parts: [] };
  if (bytes.length > MAX_BODY_BYTES) {
    throw new ValidationError(
      `${what} is ${bytes.length} bytes as JSON; the Durable Object store takes at most ${MAX_BODY_BYTES} bytes (16 MiB) per event or snapshot`,
    );
  }
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    parts.push(bytes.subarray(at, at + CHUNK_BYTES));
  }
  return { inline: null, parts };
}

/** Writes the chunks of a body (none for an inline one). Call inside the commit's transaction. */
export function writeChunks(
  sql: SqlStorageLike,
  runId: string,
  kind: ChunkKind,
  seq: number,
  body: EncodedBody,
): void {
  body.parts.forEach((data, part) => {
    sql.exec(
      `INSERT INTO runlog_chunks (run_id, kind, seq, part, data) VALUES (?, ?, ?, ?, ?)`,
      runId,
      kind,
      seq,
      part,
      data,
    );
  });
}

/**
 * The JSON text of a row: `body` itself, or its `parts` chunks joined.
 * @throws KernelError (code `store`) when chunks are missing.
 */
export function readBody(
  sql: SqlStorageLike,
  runId: string,
  kind: ChunkKind,
  seq: number,
  row: { body: string | null; parts: number },
): string {
  if (row.parts === 0 && row.body !== null) return row.body;
  const chunks = sql
    .exec<{ data: ArrayBuffer }>(
      `SELECT data FROM runlog_chunks WHERE run_id = ? AND kind = ? AND seq = ? ORDER BY part`,
      runId,
      kind,
      seq,
    )
    .toArray();
  if (chunks.length !== row.parts || row.parts === 0) {
    throw new KernelError(
      ErrorCode.Store,
      `run ${runId}: the ${kind} at seq ${seq} has ${chunks.length} of its ${row.parts} chunks`,
    );
  }
  const size = chunks.reduce((n, c) => n + c.data.byteLength, 0);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const { data } of chunks) {
    bytes.set(new Uint8Array(data), at);
    at += data.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
