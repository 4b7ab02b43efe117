// Screen 1, the runs: status tabs with counts, search by id, the table, pages by cursor, an
// invitation to start a demo when there is nothing yet. Polls while it is shown.

import { h, replaceChildren } from "../../../ui-kit/dom.ts";
import { ApiError, api } from "./api.ts";
import { setText } from "./dom.ts";
import { icon } from "./icons.ts";
import { importRunFile } from "./import-run.ts";
import { navigate, runHref, runsHref } from "./router.ts";
import { createRunTable } from "./run-table.ts";
import { emptyState, filteredEmpty, loadError } from "./runs-empty.ts";
import { openStartRunDialog } from "./start-run-dialog.ts";
import { statusLabel } from "./status-pill.ts";
import type { RunStatusWord, RunSummary } from "./types.ts";
import { STATUSES } from "./types.ts";

const PAGE_SIZE = 25;
const POLL_MS = 3000;
const COUNT_LIMIT = 100;

/** The list of runs, filtered by `status`. */
export function runsPage(status: RunStatusWord | undefined): { el: HTMLElement; dispose(): void } {
  const cursors: (string | undefined)[] = [undefined];
  let pageIndex = 0;
  let nextCursor: string | undefined;
  let runs: RunSummary[] = [];
  let loaded = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const counts = new Map<string, HTMLElement>();
  const tab = (s: RunStatusWord | undefined) => {
    const count = h("span", { class: "tab-count" });
    counts.set(s ?? "all", count);
    return h(
      "a",
      {
        class: `tab${s === status ? " tab-active" : ""}`,
        href: runsHref(s),
        "aria-current": s === status ? "page" : undefined,
        "data-status": s ?? "all",
      },
      s ? h("span", { class: `tab-dot dot-${s}`, "aria-hidden": "true" }) : null,
      s ? statusLabel(s) : "All runs",
      count,
    );
  };
  const search = h("input", {
    type: "search",
    class: "input search-input",
    placeholder: "Search or paste a run id",
    "aria-label": "Search runs by id",
    autocomplete: "off",
    spellcheck: "false",
  });
  const searchNote = h("p", { class: "search-note", "aria-live": "polite" });
  const table = createRunTable();
  const body = h(
    "div",
    { class: "runs-body" },
    h("div", { class: "skeleton-table", "aria-busy": "true" }),
  );
  const pageInfo = h("span", { class: "page-info" });
  const prev = h(
    "button",
    { type: "button", class: "btn btn-sm", "aria-label": "Previous page" },
    icon("chevronLeft", 14),
    "Newer",
  );
  const next = h(
    "button",
    { type: "button", class: "btn btn-sm", "aria-label": "Next page" },
    "Older",
    icon("chevronRight", 14),
  );
  const pager = h(
    "div",
    { class: "pager" },
    pageInfo,
    h("div", { class: "pager-buttons" }, prev, next),
  );
  pager.hidden = true;

  const el = h(
    "section",
    { class: "runs-page", "aria-labelledby": "runs-title" },
    h(
      "div",
      { class: "page-head" },
      h(
        "div",
        {},
        h("h1", { id: "runs-title", class: "page-title" }, "Runs"),
        h("p", { class: "page-subtitle" }, "Every run on this server, newest first. Updates live."),
      ),
      h(
        "div",
        { class: "page-actions" },
        h(
          "button",
          { type: "button", class: "btn", onclick: () => importRunFile() },
          icon("upload"),
          "Import",
        ),
        h(
          "button",
          { type: "button", class: "btn btn-primary", onclick: () => openStartRunDialog() },
          icon("plus"),
          "Start run",
        ),
      ),
    ),
    h(
      "div",
      { class: "toolbar" },
      h(
        "nav",
        { class: "tabs", "aria-label": "Filter by status" },
        tab(undefined),
        ...STATUSES.map(tab),
      ),
      h("div", { class: "search" }, icon("search"), search),
    ),
    searchNote,
    h("div", { class: "card runs-card" }, body, pager),
  );

  const render = () => {
    const query = search.value.trim().toLowerCase();
    const shown = query ? runs.filter((r) => r.runId.toLowerCase().includes(query)) : runs;
    if (runs.length === 0 && pageIndex === 0) {
      replaceChildren(body, status ? filteredEmpty(status) : emptyState());
    } else if (shown.length === 0) {
      replaceChildren(
        body,
        h(
          "div",
          { class: "empty-inline" },
          "No run on this page matches. Press Enter to look the id up.",
        ),
      );
    } else {
      if (body.firstElementChild !== table.el) replaceChildren(body, table.el);
      table.update(shown);
    }
    const first = pageIndex * PAGE_SIZE + 1;
    setText(pageInfo, runs.length === 0 ? "" : `${first}–${first + runs.length - 1}`);
    prev.disabled = pageIndex === 0;
    next.disabled = nextCursor === undefined;
    pager.hidden = pageIndex === 0 && nextCursor === undefined;
  };

  const load = async () => {
    try {
      const page = await api.listRuns({ status, limit: PAGE_SIZE, cursor: cursors[pageIndex] });
      if (disposed) return;
      runs = page.runs;
      nextCursor = page.nextCursor;
      loaded = true;
      render();
    } catch (error) {
      if (disposed) return;
      if (!loaded) replaceChildren(body, loadError(error));
    }
  };

  const loadCounts = async () => {
    const keys: (RunStatusWord | undefined)[] = [undefined, ...STATUSES];
    await Promise.all(
      keys.map(async (s) => {
        try {
          const page = await api.listRuns({ status: s, limit: COUNT_LIMIT });
          const text = page.nextCursor ? `${COUNT_LIMIT}+` : String(page.runs.length);
          const el = counts.get(s ?? "all");
          if (el) setText(el, text);
        } catch {
          // Counts are a nicety; the list says what went wrong.
        }
      }),
    );
  };

  // A hidden tab skips its polls; it catches up on the next one after it is shown again.
  const poll = async () => {
    if (!document.hidden || !loaded) await Promise.all([load(), loadCounts()]);
    if (!disposed) timer = setTimeout(poll, POLL_MS);
  };

  prev.addEventListener("click", () => {
    pageIndex = Math.max(0, pageIndex - 1);
    void load();
  });
  next.addEventListener("click", () => {
    if (!nextCursor) return;
    cursors[pageIndex + 1] = nextCursor;
    pageIndex += 1;
    void load();
  });
  search.addEventListener("input", () => {
    setText(searchNote, "");
    if (loaded) render();
  });
  search.addEventListener("keydown", async (e) => {
    if (e.key !== "Enter") return;
    const id = search.value.trim();
    if (!id) return;
    try {
      await api.getRun(id);
      navigate(runHref(id));
    } catch (error) {
      const notFound = error instanceof ApiError && error.status === 404;
      setText(searchNote, notFound ? `No run has the id “${id}”.` : (error as Error).message);
    }
  });

  void poll();
  return {
    el,
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}
