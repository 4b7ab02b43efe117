// The table of runs: status, id, workflow, events, times. Rows are kept by run id and updated in
// place on each poll, so focus and hover survive the refresh.
import { h } from "../../../ui-kit/dom.ts";
import { setText } from "./dom.ts";
import { formatDateTime, formatRelative } from "./format.ts";
import { icon } from "./icons.ts";
import { navigate, runHref } from "./router.ts";
import { statusPill, waitingLabel } from "./status-pill.ts";
import type { RunSummary } from "./types.ts";

interface Row {
  tr: HTMLTableRowElement;
  status: HTMLTableCellElement;
  workflow: HTMLElement;
  head: HTMLTableCellElement;
  created: HTMLTableCellElement;
  updated: HTMLTableCellElement;
  key: string;
}

/** A table of runs; `update` shows a new page of them. */
export function createRunTable(): { el: HTMLElement; update(runs: RunSummary[]): void } {
  const tbody = h("tbody");
  const table = h(
    "table",
    { class: "runs-table" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col", class: "col-status" }, "Status"),
        h("th", { scope: "col" }, "Run"),
        h("th", { scope: "col", class: "col-workflow" }, "Workflow"),
        h("th", { scope: "col", class: "col-num" }, "Events"),
        h("th", { scope: "col", class: "col-time" }, "Started"),
        h("th", { scope: "col", class: "col-time col-updated" }, "Updated"),
        h("th", { scope: "col", class: "col-go" }, h("span", { class: "visually-hidden" }, "Open")),
      ),
    ),
    tbody,
  );
  const rows = new Map<string, Row>();

  const makeRow = (run: RunSummary): Row => {
    const href = runHref(run.runId);
    const row: Row = {
      tr: h("tr", { class: "run-row", "data-run-id": run.runId }),
      status: h("td", { class: "col-status" }),
      workflow: h("span", { class: "wf" }),
      head: h("td", { class: "col-num" }),
      created: h("td", { class: "col-time" }),
      updated: h("td", { class: "col-time col-updated" }),
      key: "",
    };
    row.tr.append(
      row.status,
      h("td", { class: "col-id" }, h("a", { class: "run-link mono", href }, run.runId)),
      h("td", { class: "col-workflow" }, row.workflow),
      row.head,
      row.created,
      row.updated,
      h("td", { class: "col-go", "aria-hidden": "true" }, icon("chevronRight")),
    );
    row.tr.addEventListener("click", (e) => {
      const target = e.target as HTMLElement;
      if (target.closest("a") || getSelection()?.toString()) return;
      navigate(href);
    });
    return row;
  };

  const fill = (row: Row, run: RunSummary) => {
    const key = `${run.status}|${run.waitingOn ?? ""}|${run.head}|${run.workflow}`;
    if (key !== row.key) {
      row.key = key;
      row.status.replaceChildren(statusPill(run.status, waitingLabel(run.waitingOn, run.wakeAt)));
      row.workflow.replaceChildren(
        h("span", { class: "wf-name" }, run.workflow ?? "unknown"),
        run.version === undefined ? "" : h("span", { class: "wf-version" }, `v${run.version}`),
      );
      setText(row.head, String(run.head));
    }
    const now = Date.now();
    setText(row.created, formatRelative(run.createdAt, now));
    row.created.title = formatDateTime(run.createdAt);
    setText(row.updated, formatRelative(run.updatedAt, now));
    row.updated.title = formatDateTime(run.updatedAt);
  };

  const update = (runs: RunSummary[]) => {
    const seen = new Set<string>();
    let previous: Element | null = null;
    for (const run of runs) {
      seen.add(run.runId);
      let row = rows.get(run.runId);
      if (!row) {
        row = makeRow(run);
        rows.set(run.runId, row);
      }
      fill(row, run);
      const expected: Element | null = previous
        ? previous.nextElementSibling
        : tbody.firstElementChild;
      if (expected !== row.tr) {
        if (previous) previous.after(row.tr);
        else tbody.prepend(row.tr);
      }
      previous = row.tr;
    }
    for (const [id, row] of rows) {
      if (!seen.has(id)) {
        row.tr.remove();
        rows.delete(id);
      }
    }
  };

  return { el: h("div", { class: "table-wrap" }, table), update };
}
