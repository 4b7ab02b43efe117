// Screen 2, one run: header, the pending interrupt, the live timeline, and on the side the
// result, input, actions, a signal form and the verification.

import { h, replaceChildren } from "../../../ui-kit/dom.ts";
import { ApiError, allEvents, api } from "./api.ts";
import { confirmDialog } from "./dialog.ts";
import { icon } from "./icons.ts";
import { interruptCard } from "./interrupt-card.ts";
import { navigate, runHref, runsHref } from "./router.ts";
import { createRunDetails } from "./run-details.ts";
import { createRunHeader } from "./run-header.ts";
import { followRun } from "./run-live.ts";
import { createSignalForm } from "./signal-form.ts";
import { createTimeline } from "./timeline-view.ts";
import { toast, toastError } from "./toast.ts";
import { type ApiEvent, isTerminalStatus, type RunInfo } from "./types.ts";
import { waitBanner } from "./wait-banner.ts";

/** The page of run `runId`. */
export function runPage(runId: string): { el: HTMLElement; dispose(): void } {
  let disposed = false;
  let stopLive: (() => void) | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let waitKey: string | undefined;
  let banner: { el: HTMLElement; tick(): void } | undefined;
  let forkedFrom: { runId: string; atSeq: number } | undefined;
  let cancelReason: string | undefined;

  const header = createRunHeader(runId, {
    onVerify: () => void verify(),
    onExport: () => void exportRun(),
    onCancel: () => void cancel(),
  });
  const timeline = createTimeline({ onFork: (seq) => void fork(seq) });
  const details = createRunDetails();
  const signals = createSignalForm(runId, () => scheduleRefresh());
  const interruptSlot = h("div", { class: "interrupt-slot" });
  const content = h(
    "div",
    { class: "run-grid" },
    h("div", { class: "run-main" }, interruptSlot, timeline.el),
    h("aside", { class: "run-side", "aria-label": "Run details" }, details.el, signals.el),
  );
  const el = h("section", { class: "run-page", "aria-busy": "true" }, header.el, content);
  content.hidden = true;
  const ticker = setInterval(() => {
    header.tick();
    banner?.tick();
  }, 1000);

  const addEvents = (events: ApiEvent[]) => {
    timeline.add(events);
    for (const e of events) {
      if (e.type === "RunStarted") details.showInput(e.input);
      if (e.type === "Forked") forkedFrom = { runId: e.fromRunId, atSeq: e.atSeq };
      if (e.type === "Cancelled") cancelReason = e.reason;
    }
    details.showActions(timeline.model.actions.values());
  };

  const showInfo = (next: RunInfo) => {
    header.update(next, forkedFrom);
    details.showResult(next, cancelReason);
    signals.suggest(next.blocked?.waitSignal);
    signals.setEnabled(!isTerminalStatus(next.status));
    // Rebuilt only when the wait changes, so a half-typed answer survives refreshes.
    const b = next.status === "blocked" ? next.blocked : undefined;
    const key = b ? JSON.stringify([b.interrupt?.id, b.waitSignal, b.timerAt, b.retryAt]) : "";
    if (key === waitKey) return;
    waitKey = key;
    banner = undefined;
    if (b?.interrupt) {
      replaceChildren(
        interruptSlot,
        interruptCard(runId, b.interrupt, () => scheduleRefresh(0)),
      );
      return;
    }
    banner = waitBanner(next, () => signals.open());
    replaceChildren(interruptSlot, banner?.el ?? null);
  };

  const refresh = async () => {
    try {
      const next = await api.getRun(runId);
      if (!disposed) showInfo(next);
      return next;
    } catch (error) {
      if (!disposed) toastError(error, "Could not refresh the run");
      return undefined;
    }
  };

  const scheduleRefresh = (delay = 120) => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(), delay);
  };

  const load = async () => {
    try {
      const [first, page] = await Promise.all([api.getRun(runId), allEvents(runId)]);
      if (disposed) return;
      addEvents(page.events);
      showInfo(first);
      content.hidden = false;
      el.removeAttribute("aria-busy");
      stopLive = followRun(runId, () => timeline.model.lastSeq, {
        onEvent: (e) => {
          addEvents([e]);
          scheduleRefresh();
        },
        onState: (state) => timeline.setLive(state),
        isOver: async () => {
          const now = await refresh();
          return (
            now !== undefined && isTerminalStatus(now.status) && now.head <= timeline.model.lastSeq
          );
        },
      });
    } catch (error) {
      if (disposed) return;
      el.removeAttribute("aria-busy");
      replaceChildren(el, notFound(error));
    }
  };

  const verify = async () => {
    try {
      const result = await api.verify(runId);
      details.showVerify(result);
    } catch (error) {
      toastError(error, "Could not verify");
    }
  };

  const exportRun = async () => {
    try {
      const text = await api.exportRun(runId);
      const url = URL.createObjectURL(new Blob([text], { type: "application/x-ndjson" }));
      const a = h("a", { href: url, download: `${runId}.ndjson` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      toast(`Exported ${runId}.ndjson`, "success");
    } catch (error) {
      toastError(error, "Could not export");
    }
  };

  const cancel = async () => {
    const reason = await confirmDialog({
      title: "Cancel this run?",
      message:
        "The run stops at its next step and can never continue. Its log stays, and you can still fork it.",
      confirmLabel: "Cancel run",
      danger: true,
      reasonLabel: "Reason",
    });
    if (reason === undefined) return;
    try {
      await api.cancel(runId, reason || undefined);
      toast("Run cancelled", "success");
      scheduleRefresh(0);
    } catch (error) {
      toastError(error, "Could not cancel");
    }
  };

  const fork = async (seq: number) => {
    const ok = await confirmDialog({
      title: `Fork from event #${seq}?`,
      message: `A new run starts with a copy of ${seq === 1 ? "event 1" : `events 1–${seq}`} of this run and continues live from there. This run is not changed.`,
      confirmLabel: "Fork run",
    });
    if (ok === undefined) return;
    try {
      const forked = await api.fork(runId, seq);
      navigate(runHref(forked.runId));
    } catch (error) {
      toastError(error, "Could not fork");
    }
  };

  void load();
  return {
    el,
    dispose() {
      disposed = true;
      stopLive?.();
      clearInterval(ticker);
      clearTimeout(refreshTimer);
    },
  };
}

function notFound(error: unknown): HTMLElement {
  const missing = error instanceof ApiError && error.status === 404;
  return h(
    "div",
    { class: "card empty" },
    h("div", { class: "empty-icon empty-icon-bad" }, icon("alert", 24)),
    h("h1", { class: "empty-title" }, missing ? "Run not found" : "Could not load the run"),
    h("p", { class: "empty-text" }, (error as Error).message),
    h(
      "div",
      { class: "empty-actions" },
      h("a", { class: "btn", href: runsHref() }, icon("arrowLeft", 14), "All runs"),
    ),
  );
}
