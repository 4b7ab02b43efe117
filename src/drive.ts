import { decisionEvents } from "./decision.ts";
import type { EffectSink } from "./effects.ts";
import { executeBatch } from "./execute-batch.ts";
import type { Commit, PendingDeps } from "./execute-pending.ts";
import { executePending } from "./execute-pending.ts";
import type { LiveSlot } from "./live-cache.ts";
import type { Policy } from "./policy.ts";
import type { Random } from "./ports.ts";
import { refusals } from "./refusal.ts";
import type { LoadedRun } from "./restore.ts";
import type { StepContext, StepFn } from "./step.ts";

/** What a drive needs from its kernel and its run's mailbox. */
export interface DriveDeps<S> {
  step: StepFn<S>;
  policy: Policy;
  random: Random;
  effectSink: EffectSink | undefined;
  pending: PendingDeps;
  live: LiveSlot;
  /** Commits to the run, taking along the signals that came meanwhile. */
  commit: Commit;
  /** The reason of a cancel asked for and not yet recorded. */
  cancelReason(): string | undefined;
  /** The drive recorded the cancel asked for. */
  cancelRecorded(): void;
}

/** Advances the run until it blocks, waits on a human, or ends. */
export async function driveRun<S>(
  d: DriveDeps<S>,
  runId: string,
  run: LoadedRun<S>,
): Promise<void> {
  for (;;) {
    const meta = run.meta;
    const cancel = d.cancelReason();
    if (cancel !== undefined && !meta.terminal) {
      await d.commit([{ type: "Cancelled", reason: cancel }]);
      d.cancelRecorded();
    }
    if (meta.terminal || meta.interrupt) return;
    if (meta.pending) {
      const execute = meta.more ? executeBatch : executePending;
      if (await execute(d.pending, runId, run, d.commit)) return;
      continue;
    }
    await decide(d, runId, run);
  }
}

/** Asks the step what is next and records it (with the policy's refusals of what it asks for). */
async function decide<S>(d: DriveDeps<S>, runId: string, run: LoadedRun<S>): Promise<void> {
  const randoms: number[] = [];
  const ctx: StepContext = {
    runId,
    live: d.live,
    now: () => run.meta.lastTs,
    random: () => {
      const value = d.random.next();
      randoms.push(value);
      return value;
    },
  };
  const next = await d.step.next(run.state, ctx);
  const events = decisionEvents(runId, run.meta.head, next, randoms);
  const sink = d.effectSink;
  if (next.type === "emit") {
    if (sink) {
      for (const e of next.events) {
        if (e.type !== "StateUpdated") continue;
        sink.record(
          runId,
          e.stepId === undefined
            ? { type: "StateWrite", payload: e.payload }
            : { type: "StateWrite", stepId: e.stepId, payload: e.payload },
        );
      }
    }
    if (events.length > 0) await d.commit(events);
    return;
  }
  if (next.type === "do" || next.type === "doAll") {
    events.push(...(await refusals(d.policy, runId, run.meta, events, sink)));
  } else if (next.type === "interrupt" && sink) {
    sink.record(runId, { type: "InterruptRaise", value: next.value });
  }
  await d.commit(events);
}
