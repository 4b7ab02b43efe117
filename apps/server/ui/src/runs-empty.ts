// What the runs list shows when there is nothing to list.

import { h } from "../../../ui-kit/dom.ts";
import { ApiError } from "./api.ts";
import { allowTokenPrompt } from "./auth.ts";
import { icon } from "./icons.ts";
import { navigate, runsHref } from "./router.ts";
import { openStartRunDialog, startExample } from "./start-run-dialog.ts";
import { statusLabel } from "./status-pill.ts";
import type { RunStatusWord } from "./types.ts";

/** No runs at all: an invitation to start demo.approval. */
export function emptyState(): HTMLElement {
  return h(
    "div",
    { class: "empty" },
    h("div", { class: "empty-icon" }, icon("inbox", 28)),
    h("h2", { class: "empty-title" }, "No runs yet"),
    h(
      "p",
      { class: "empty-text" },
      "Start ",
      h("code", {}, "demo.approval"),
      " to see a durable run end to end: it echoes a text, then waits for you to approve it. Close the tab, come back, it is still waiting.",
    ),
    h(
      "div",
      { class: "empty-actions" },
      h(
        "button",
        { type: "button", class: "btn btn-primary", onclick: () => startExample("demo.approval") },
        icon("play", 14),
        "Start demo.approval",
      ),
      h(
        "button",
        { type: "button", class: "btn", onclick: () => openStartRunDialog() },
        "Choose another workflow",
      ),
    ),
  );
}

/** No runs of one status. */
export function filteredEmpty(status: RunStatusWord): HTMLElement {
  return h(
    "div",
    { class: "empty empty-small" },
    h("h2", { class: "empty-title" }, `No ${statusLabel(status).toLowerCase()} runs`),
    h("p", { class: "empty-text" }, h("a", { href: runsHref() }, "See all runs")),
  );
}

/** The list could not be loaded: a token to enter, or what went wrong. */
export function loadError(error: unknown): HTMLElement {
  if (error instanceof ApiError && error.status === 401) {
    return h(
      "div",
      { class: "empty empty-small" },
      h("div", { class: "empty-icon" }, icon("key", 24)),
      h("h2", { class: "empty-title" }, "Access token required"),
      h(
        "p",
        { class: "empty-text" },
        "This server was started with RUNLOG_TOKEN: enter the token to see its runs.",
      ),
      h(
        "div",
        { class: "empty-actions" },
        h(
          "button",
          {
            type: "button",
            class: "btn btn-primary",
            onclick: () => {
              allowTokenPrompt();
              navigate(location.hash || "#/");
            },
          },
          "Enter access token",
        ),
      ),
    );
  }
  return h(
    "div",
    { class: "empty empty-small" },
    h("div", { class: "empty-icon empty-icon-bad" }, icon("alert", 24)),
    h("h2", { class: "empty-title" }, "Could not load the runs"),
    h("p", { class: "empty-text" }, (error as Error).message),
  );
}
