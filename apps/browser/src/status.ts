// Status words and colours, the same everywhere: running blue, blocked amber, completed green,
// failed red, cancelled grey.
import type { BlockedInfo, RunSummary } from "runlog";
import { h } from "../../ui-kit/dom.ts";

export type Status = RunSummary["status"];

/** What a blocked run waits on, in words. */
export function waitingLabel(waitingOn: RunSummary["waitingOn"] | undefined): string {
  switch (waitingOn) {
    case "interrupt":
      return "Needs you";
    case "signal":
      return "Awaiting signal";
    case "timer":
      return "Sleeping";
    case "retry":
      return "Retrying";
    default:
      return "Blocked";
  }
}

/** What a blocked run waits on, from the run's live `blocked`. */
export function waitingOf(blocked: BlockedInfo | undefined): RunSummary["waitingOn"] {
  if (!blocked) return undefined;
  if (blocked.interrupt) return "interrupt";
  if (blocked.waitSignal !== undefined) return "signal";
  if (blocked.timerAt !== undefined) return "timer";
  if (blocked.retryAt !== undefined) return "retry";
  return undefined;
}

/** The word for a status. */
export function statusLabel(status: Status, waitingOn?: RunSummary["waitingOn"]): string {
  switch (status) {
    case "running":
      return "Running";
    case "blocked":
      return waitingLabel(waitingOn);
    case "completed":
      return "Completed";
    case "failed":
      return "Failed";
    case "cancelled":
      return "Cancelled";
  }
}

/** A coloured pill with the status's word. */
export function statusPill(status: Status, waitingOn?: RunSummary["waitingOn"]): HTMLElement {
  return h(
    "span",
    { class: `pill pill-${status}`, "data-status": status },
    h("span", { class: "pill-dot", "aria-hidden": "true" }),
    statusLabel(status, waitingOn),
  );
}
