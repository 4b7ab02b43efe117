import { ValidationError } from "./errors.ts";
import type { Event } from "./events.ts";
import type { Next } from "./step.ts";

/** The deterministic id of the action or interrupt recorded at `seq`. */
export function decisionId(runId: string, seq: number): string {
  return `${runId}:${seq}`;
}

/**
 * The events a decision commits, before the policy has its say: recorded randomness first, then
 * the decision. Live runs and verify build them with this one function, so they cannot drift.
 * @throws ValidationError when a step emits anything but `StateUpdated` events.
 */
export function decisionEvents(
  runId: string,
  head: number,
  next: Next,
  randoms: readonly number[],
): Event[] {
  const out: Event[] = randoms.length > 0 ? [{ type: "RandomDrawn", values: [...randoms] }] : [];
  const seq = head + out.length + 1;
  switch (next.type) {
    case "emit":
      if (next.events.length === 0) {
        throw new ValidationError(
          `run ${runId}: the step emitted no events, so it would decide the same forever`,
        );
      }
      for (const event of next.events) {
        if (event.type !== "StateUpdated") {
          throw new ValidationError(
            `run ${runId}: a step may emit only StateUpdated events, not ${event.type}; use do, interrupt or complete`,
          );
        }
        out.push(event);
      }
      return out;
    case "do":
      out.push({ type: "ActionRequested", actionId: decisionId(runId, seq), action: next.action });
      return out;
    case "doAll":
      if (next.actions.length === 0) {
        throw new ValidationError(`run ${runId}: doAll needs at least one action`);
      }
      next.actions.forEach((action, i) => {
        if (action.type !== "callTool" && action.type !== "callLLM") {
          throw new ValidationError(
            `run ${runId}: doAll runs tool and LLM calls concurrently, not ${action.type} (actions[${i}]); use do`,
          );
        }
        out.push({ type: "ActionRequested", actionId: decisionId(runId, seq + i), action });
      });
      return out;
    case "interrupt":
      out.push({
        type: "Interrupted",
        interruptId: next.interruptId ?? decisionId(runId, seq),
        value: next.value,
      });
      return out;
    case "complete":
      out.push(
        next.output === undefined
          ? { type: "Completed" }
          : { type: "Completed", output: next.output },
      );
      return out;
  }
}
