// The top of a run's page: id, workflow and version, status, times, and what can be done to the
// run as a whole (verify, export, cancel).
import { h } from "../../../ui-kit/dom.ts";
import { setText } from "./dom.ts";
import { formatDateTime, formatDuration, formatRelative } from "./format.ts";
import { icon } from "./icons.ts";
import { runHref, runsHref } from "./router.ts";
import { blockedLabel, statusPill } from "./status-pill.ts";
import { copyText } from "./toast.ts";
import { isTerminalStatus, type RunInfo } from "./types.ts";

/** The header; `update` takes the run's latest info, `tick` refreshes the running clock. */
export function createRunHeader(
  runId: string,
  actions: { onVerify(): void; onExport(): void; onCancel(): void },
): {
  el: HTMLElement;
  update(info: RunInfo, forkedFrom?: { runId: string; atSeq: number }): void;
  tick(): void;
} {
  let info: RunInfo | undefined;
  let pillKey = "";
  const pill = h("span", { class: "header-pill" });
  const workflow = h("span", { class: "chip chip-mono chip-lg" });
  const started = h("dd", {});
  const duration = h("dd", {});
  const events = h("dd", {});
  const updated = h("dd", {});
  const origin = h("p", { class: "origin", hidden: true });
  const verify = h(
    "button",
    { type: "button", class: "btn", onclick: actions.onVerify },
    icon("shield", 15),
    "Verify",
  );
  const exportButton = h(
    "button",
    { type: "button", class: "btn", onclick: actions.onExport },
    icon("download", 15),
    "Export",
  );
  const cancel = h(
    "button",
    { type: "button", class: "btn btn-danger-outline", onclick: actions.onCancel },
    icon("stop", 14),
    "Cancel run",
  );

  // Cancel is there only while the run can still be cancelled: once it has ended it goes.
  const actionsRow = h("div", { class: "run-actions" }, verify, exportButton);

  const el = h(
    "header",
    { class: "run-header" },
    h("a", { class: "back-link", href: runsHref() }, icon("arrowLeft", 14), "All runs"),
    h(
      "div",
      { class: "run-title-row" },
      h(
        "div",
        { class: "run-title-block" },
        h("p", { class: "eyebrow" }, "Run"),
        h(
          "div",
          { class: "run-title-line" },
          h("h1", { class: "run-id mono" }, runId),
          h(
            "button",
            {
              type: "button",
              class: "icon-btn",
              "aria-label": "Copy run id",
              title: "Copy run id",
              onclick: () => copyText(runId, "Run id copied"),
            },
            icon("copy", 15),
          ),
        ),
        h("div", { class: "run-badges" }, pill, workflow),
        origin,
      ),
      actionsRow,
    ),
    h(
      "dl",
      { class: "run-meta" },
      h("div", {}, h("dt", {}, "Started"), started),
      h("div", {}, h("dt", {}, "Duration"), duration),
      h("div", {}, h("dt", {}, "Events"), events),
      h("div", {}, h("dt", {}, "Last event"), updated),
    ),
  );

  const tick = () => {
    if (!info) return;
    const end = isTerminalStatus(info.status) ? info.updatedAt : Date.now();
    setText(duration, formatDuration(end - info.createdAt));
    setText(updated, formatRelative(info.updatedAt));
    updated.title = formatDateTime(info.updatedAt);
  };

  return {
    el,
    tick,
    update(next, forkedFrom) {
      info = next;
      const detail = blockedLabel(next);
      const key = `${next.status}|${detail ?? ""}`;
      if (key !== pillKey) {
        pillKey = key;
        pill.replaceChildren(statusPill(next.status, detail, "lg"));
      }
      setText(workflow, `${next.workflow} v${next.version}`);
      setText(started, formatDateTime(next.createdAt));
      setText(events, String(next.head));
      const ended = isTerminalStatus(next.status);
      if (ended) cancel.remove();
      else if (cancel.parentNode !== actionsRow) actionsRow.append(cancel);
      if (forkedFrom) {
        origin.hidden = false;
        origin.replaceChildren(
          icon("fork", 13),
          h(
            "span",
            {},
            "Forked from ",
            h("a", { href: runHref(forkedFrom.runId), class: "mono" }, forkedFrom.runId),
            ` at event #${forkedFrom.atSeq}`,
          ),
        );
      }
      tick();
    },
  };
}
