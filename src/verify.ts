import { canonicalJson } from "./canonical-json.ts";
import { decisionEvents } from "./decision.ts";
import { hashEvents, hashWritten } from "./event-hash.ts";
import type { Event, SequencedEvent } from "./events.ts";
import type { RunHash } from "./hash-store.ts";
import { LiveCache } from "./live-cache.ts";
import type { Reducer } from "./reducer.ts";
import { applyAll, type LoadedRun } from "./restore.ts";
import { emptyMeta } from "./run-meta.ts";
import { type RunStatus, statusOf } from "./run-status.ts";
import type { Next, StepFn } from "./step.ts";

/** What verify found. `divergedAt` is the first seq where the step decided otherwise. */
export interface VerifyReport {
  ok: boolean;
  runId: string;
  head: number;
  hash: string;
  /** The hash stored in record mode, when there is one; `hashMatches` compares it. */
  storedHash?: string;
  hashMatches?: boolean;
  divergedAt?: number;
  message: string;
  /** Decisions re-driven and matched. */
  decisions: number;
  status: RunStatus;
}

/** What `verifyRun` needs. */
export interface VerifyInput<S> {
  runId: string;
  initialState: S;
  events: readonly SequencedEvent[];
  step: StepFn<S>;
  reducer: Reducer<S>;
  stored?: RunHash | undefined;
}

const EXTERNAL: ReadonlySet<Event["type"]> = new Set([
  "RunStarted",
  "SignalReceived",
  "Resumed",
  "Cancelled",
  "Forked",
]);

/**
 * Re-drives the step function over a recorded log, feeding it recorded outcomes and randomness and
 * executing nothing. At every decision point the step's decision must produce exactly the events
 * that were recorded; the first that differs is reported by seq.
 *
 * The step gets a live slot of verify's own, never the one of the kernel that ran the run: a
 * straight-line workflow's code starts from its beginning over the recorded log and continues
 * from decision to decision (each one still compared event for event), so verifying N decisions
 * costs O(N), not the O(N²) of starting the code over at each one.
 */
export async function verifyRun<S>(input: VerifyInput<S>): Promise<VerifyReport> {
  const { runId, events, step, reducer } = input;
  // Each recorded event is written as canonical JSON once: for the hash and for the comparisons.
  const written = events.map((se) => canonicalJson(se.event));
  const hash = await hashWritten(events, written);
  const run: LoadedRun<S> = { state: input.initialState, meta: emptyMeta(), snapshotAt: 0 };
  const idRuns = idRunIds(runId, events);
  const stored = input.stored;
  let hashMatches: boolean | undefined;
  if (stored) {
    const prefix = events.filter((se) => se.seq <= stored.atSeq);
    const prefixHash = prefix.length === events.length ? hash : await hashEvents(prefix);
    hashMatches = prefix.length === stored.atSeq && prefixHash === stored.hash;
  }
  const report = (ok: boolean, message: string, divergedAt?: number): VerifyReport => {
    const r: VerifyReport = {
      ok: ok && hashMatches !== false,
      runId,
      head: events[events.length - 1]?.seq ?? 0,
      hash,
      message,
      decisions,
      status: statusOf(run.meta, run.meta.lastTs),
    };
    if (divergedAt !== undefined) r.divergedAt = divergedAt;
    if (stored) {
      r.storedHash = stored.hash;
      r.hashMatches = hashMatches === true;
      if (!hashMatches && ok) {
        r.message = `run ${runId}: the log up to seq ${stored.atSeq} no longer has the recorded hash ${stored.hash}`;
      }
    }
    return r;
  };
  let decisions = 0;
  let i = 0;
  const live = new LiveCache(1).slot(runId);
  while (i < events.length) {
    const se = events[i] as SequencedEvent;
    const m = run.meta;
    if (EXTERNAL.has(se.event.type) || m.pending || m.terminal || m.interrupt) {
      applyAll(run, [se], reducer);
      i += 1;
      continue;
    }
    const recorded = se.event.type === "RandomDrawn" ? se.event.values : [];
    let drawn = 0;
    let overdrawn = false;
    let next: Next;
    try {
      next = await step.next(run.state, {
        runId,
        live,
        now: () => run.meta.lastTs,
        random: () => {
          const value = recorded[drawn];
          if (value === undefined) {
            overdrawn = true;
            return 0;
          }
          drawn += 1;
          return value;
        },
      });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return report(
        false,
        `run ${runId}: the step function threw at seq ${se.seq}: ${why}`,
        se.seq,
      );
    }
    if (overdrawn) {
      return report(
        false,
        `run ${runId}: the step drew more random values at seq ${se.seq} than were recorded`,
        se.seq,
      );
    }
    let expected: Event[];
    try {
      expected = decisionEvents(idRuns[i] ?? runId, m.head, next, recorded.slice(0, drawn));
    } catch (error) {
      return report(false, error instanceof Error ? error.message : String(error), se.seq);
    }
    for (let k = 0; k < expected.length; k++) {
      const actual = events[i + k];
      const want = canonicalJson(withRecordedIds(expected[k] as Event, actual));
      if (!actual) break;
      const got = written[i + k] as string;
      if (want !== got) {
        return report(
          false,
          `run ${runId}: nondeterminism at seq ${actual.seq}: the step now decides ${want} but the log recorded ${got}`,
          actual.seq,
        );
      }
    }
    const matched = events.slice(i, i + expected.length);
    applyAll(run, matched, reducer);
    i += matched.length;
    decisions += 1;
  }
  return report(true, `run ${runId}: ${decisions} decisions match the log`);
}

/**
 * Ids the kernel made (`<runId>:<seq>`) are compared by their seq only: a run imported under a new
 * id, or forked, keeps the ids it was recorded with, and they still name the same decisions.
 */
function withRecordedIds(expected: Event, actual: SequencedEvent | undefined): Event {
  if (!actual) return expected;
  const got = actual.event;
  const suffix = `:${actual.seq}`;
  if (expected.type === "ActionRequested" && got.type === "ActionRequested") {
    if (expected.actionId.endsWith(suffix) && got.actionId.endsWith(suffix))
      return { ...expected, actionId: got.actionId };
  }
  if (expected.type === "Interrupted" && got.type === "Interrupted") {
    if (expected.interruptId.endsWith(suffix) && got.interruptId.endsWith(suffix)) {
      return { ...expected, interruptId: got.interruptId };
    }
  }
  return expected;
}

/** For each event, the run id its recorded ids were made with: a fork's copied prefix keeps its source's. */
function idRunIds(runId: string, events: readonly SequencedEvent[]): string[] {
  const out: string[] = new Array(events.length);
  let current = runId;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = (events[i] as SequencedEvent).event;
    if (e.type === "Forked") current = e.fromRunId;
    out[i] = current;
  }
  return out;
}
