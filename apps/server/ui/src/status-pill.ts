// The coloured status of a run: running blue, blocked amber (with what it waits on), completed
// green, failed red, cancelled grey.
import { h } from "../../../ui-kit/dom.ts";
import type { RunInfo, RunStatusWord, RunSummary } from "./types.ts";

const LABELS: Record<RunStatusWord, string> = {
  running: "Running",
  blocked: "Blocked",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** The word for a status. */
export function statusLabel(status: RunStatusWord): string {
  return LABELS[status];
}

/** What a blocked run waits on, in a few words, from a list row. */
export function waitingLabel(
  waitingOn: RunSummary["waitingOn"],
  wakeAt?: number,
): string | undefined {
  switch (waitingOn) {
    case "interrupt":
      return "needs input";
    case "signal":
      return "awaiting signal";
    case "timer":
      return wakeAt ? `sleeping` : "timer";
    case "retry":
      return "retry pending";
    default:
      return undefined;
  }
}

/** What a blocked run waits on, from its full info. */
export function blockedLabel(info: RunInfo): string | undefined {
  const b = info.blocked;
  if (info.status !== "blocked" || !b) return undefined;
  if (b.interrupt) return "needs input";
  if (b.waitSignal !== undefined) return `awaiting signal “${b.waitSignal}”`;
  if (b.timerAt !== undefined) return "sleeping";
  if (b.retryAt !== undefined) return "retry pending";
  return undefined;
}

/** A pill: a dot, the status, and for a blocked run what it waits on. */
export function statusPill(
  status: RunStatusWord,
  detail?: string,
  size: "sm" | "lg" = "sm",
): HTMLElement {
  return h(
    "span",
    { class: `pill pill-${status} pill-${size}`, "data-status": status },
    h("span", { class: "pill-dot", "aria-hidden": "true" }),
    h("span", { class: "pill-label" }, LABELS[status]),
    detail ? h("span", { class: "pill-detail" }, `· ${detail}`) : null,
  );
}
