import type { SequencedEvent } from "../events.ts";

/**
 * The log's own invariants: seqs 1..n with no gap or duplicate, time never going back, one
 * request per action id (the id of its seq), attempts counted up from 0, at most one outcome per
 * action and one record per signal id, every resume answering the open interrupt, nothing after
 * the end.
 */
export function logProblems(runId: string, events: readonly SequencedEvent[]): string[] {
  const out: string[] = [];
  const requested = new Map<string, { attempts: number; done: boolean }>();
  const signalIds = new Set<string>();
  let interrupt: string | undefined;
  let ended = false;
  let lastTs = 0;
  events.forEach((se, i) => {
    const at = `seq ${se.seq}`;
    if (se.seq !== i + 1) out.push(`${at}: expected seq ${i + 1}`);
    if (se.ts < lastTs) out.push(`${at}: ts goes back`);
    lastTs = se.ts;
    if (ended) out.push(`${at}: ${se.event.type} after the run ended`);
    const e = se.event;
    switch (e.type) {
      case "ActionRequested":
        if (requested.has(e.actionId)) out.push(`${at}: second ActionRequested for ${e.actionId}`);
        if (e.actionId !== `${runId}:${se.seq}`) out.push(`${at}: action id ${e.actionId}`);
        if ([...requested.values()].some((r) => !r.done))
          out.push(`${at}: another action is pending`);
        requested.set(e.actionId, { attempts: 0, done: false });
        break;
      case "ActionAttemptFailed": {
        const r = requested.get(e.actionId);
        if (!r || r.done) out.push(`${at}: attempt of an action not pending`);
        else if (e.attempt !== r.attempts)
          out.push(`${at}: attempt ${e.attempt}, expected ${r.attempts}`);
        else r.attempts += 1;
        break;
      }
      case "ActionSucceeded":
      case "ActionFailed": {
        const r = requested.get(e.actionId);
        if (!r || r.done) out.push(`${at}: ${e.type} of an action not pending`);
        else r.done = true;
        if (e.type === "ActionFailed" && r && !ended) {
          const action = events.find(
            (x) => x.event.type === "ActionRequested" && x.event.actionId === e.actionId,
          );
          const onFailure =
            action?.event.type === "ActionRequested" && "onFailure" in action.event.action
              ? action.event.action.onFailure
              : undefined;
          if (onFailure !== "continue") ended = true;
        }
        break;
      }
      case "SignalReceived":
        if (signalIds.has(e.signalId)) out.push(`${at}: signal ${e.signalId} recorded twice`);
        signalIds.add(e.signalId);
        break;
      case "Interrupted":
        if (interrupt !== undefined) out.push(`${at}: interrupt while ${interrupt} is open`);
        interrupt = e.interruptId;
        break;
      case "Resumed":
        if (interrupt === undefined || e.interruptId !== interrupt)
          out.push(`${at}: resume of ${e.interruptId}`);
        interrupt = undefined;
        break;
      case "Completed":
      case "Cancelled":
        ended = true;
        break;
      default:
        break;
    }
  });
  return out;
}
