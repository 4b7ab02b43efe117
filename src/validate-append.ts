import { ValidationError } from "./errors.ts";
import type { SequencedEvent } from "./events.ts";
import { EVENT_TYPES } from "./events.ts";

const TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

/**
 * Checks a batch before any store writes it: seqs follow `expectedHead`, timestamps are numbers,
 * types are known. Every store calls it so that a bad batch is refused whole, whatever the store.
 * @throws ValidationError naming the first bad event.
 */
export function assertAppendable(
  runId: string,
  events: readonly SequencedEvent[],
  expectedHead: number,
  extras: {
    snapshot?: { runId: string; atSeq: number } | undefined;
    summary?: { runId: string } | undefined;
  } = {},
): void {
  if (extras.snapshot && extras.snapshot.runId !== runId) {
    throw new ValidationError(
      `run ${runId}: the append carries a snapshot of run ${extras.snapshot.runId}`,
    );
  }
  if (extras.summary && extras.summary.runId !== runId) {
    throw new ValidationError(
      `run ${runId}: the append carries the summary of run ${extras.summary.runId}`,
    );
  }
  if (typeof runId !== "string" || runId.length === 0) {
    throw new ValidationError("runId must be a non-empty string");
  }
  if (!Number.isSafeInteger(expectedHead) || expectedHead < 0) {
    throw new ValidationError(
      `run ${runId}: expectedHead must be a whole number >= 0, got ${String(expectedHead)}`,
    );
  }
  events.forEach((se, i) => {
    const want = expectedHead + 1 + i;
    if (se === null || typeof se !== "object") {
      throw new ValidationError(`run ${runId}: event ${i} of the batch is not an object`);
    }
    if (se.seq !== want) {
      throw new ValidationError(
        `run ${runId}: event ${i} of the batch has seq ${String(se.seq)}, expected ${want}`,
      );
    }
    if (typeof se.ts !== "number" || !Number.isFinite(se.ts)) {
      throw new ValidationError(`run ${runId}: event seq ${want} has no numeric ts`);
    }
    const type = (se.event as { type?: unknown } | null)?.type;
    if (typeof type !== "string" || !TYPES.has(type)) {
      throw new ValidationError(
        `run ${runId}: event seq ${want} has unknown type ${JSON.stringify(type)}`,
      );
    }
  });
}
