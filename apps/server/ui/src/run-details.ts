// The side of a run's page: its result (output or error), its input, its actions at a glance,
// and the last verification.
import { h, replaceChildren } from "../../../ui-kit/dom.ts";
import { formatDuration } from "./format.ts";
import { type IconName, icon } from "./icons.ts";
import { jsonView } from "./json-view.ts";
import type { ActionTrack } from "./timeline-model.ts";
import { copyText } from "./toast.ts";
import type { RunInfo, VerifyResult } from "./types.ts";

const ACTION_ICONS: Record<ActionTrack["type"], IconName> = {
  callTool: "wrench",
  callLLM: "sparkles",
  sleep: "clock",
  waitSignal: "radio",
};

/** The side cards; each `show*` replaces what its card says. */
export function createRunDetails(): {
  el: HTMLElement;
  showResult(info: RunInfo, cancelReason?: string): void;
  showInput(input: unknown): void;
  showActions(actions: Iterable<ActionTrack>): void;
  showVerify(result: VerifyResult): void;
} {
  const result = h("div", { class: "card-body" });
  const resultCard = card("Result", "result-title", result);
  const input = h("div", { class: "card-body" });
  const actions = h("div", { class: "card-body card-body-flush" });
  const verify = h("div", { class: "card-body" });
  const verifyCard = card("Verification", "verify-title", verify);
  verifyCard.hidden = true;
  const el = h(
    "div",
    { class: "side-stack" },
    resultCard,
    verifyCard,
    card("Input", "input-title", input),
    card("Actions", "actions-title", actions),
  );
  let resultKey = "";

  return {
    el,
    showResult(info, cancelReason) {
      const key = `${info.status}|${info.head}`;
      if (key === resultKey) return;
      resultKey = key;
      if (info.status === "completed") {
        replaceChildren(
          result,
          info.output === undefined
            ? muted("Completed without output.")
            : jsonView(info.output, { copy: true, label: "output" }),
        );
      } else if (info.status === "cancelled") {
        replaceChildren(
          result,
          h(
            "div",
            { class: "callout callout-grey" },
            icon("ban", 16),
            h(
              "p",
              {},
              (cancelReason ?? info.error?.message)
                ? `Cancelled: ${cancelReason ?? info.error?.message}`
                : "Cancelled.",
            ),
          ),
        );
      } else if (info.status === "failed" || info.error) {
        replaceChildren(
          result,
          h(
            "div",
            { class: "callout callout-red" },
            icon("xCircle", 16),
            h(
              "div",
              {},
              h("strong", {}, info.error?.code ?? "failed"),
              h("p", {}, info.error?.message ?? "The run failed."),
            ),
          ),
        );
      }
      // A run that has not ended has no result to show yet.
      resultCard.hidden =
        !["completed", "failed", "cancelled"].includes(info.status) && !info.error;
    },
    showInput(value) {
      replaceChildren(input, jsonView(value, { copy: true, label: "input" }));
    },
    showActions(list) {
      const rows = [...list];
      if (rows.length === 0) {
        replaceChildren(actions, h("div", { class: "card-body" }, muted("No actions yet.")));
        return;
      }
      replaceChildren(
        actions,
        h(
          "ul",
          { class: "action-list" },
          rows.map((a) =>
            h(
              "li",
              { class: `action-row outcome-${a.outcome}` },
              h(
                "span",
                { class: "action-icon", "aria-hidden": "true" },
                icon(ACTION_ICONS[a.type], 14),
              ),
              h(
                "span",
                { class: "action-name" },
                h("span", { class: "mono" }, a.name),
                h("span", { class: "action-type" }, a.type),
              ),
              a.attempts > 1 ? h("span", { class: "chip chip-amber" }, `${a.attempts}×`) : null,
              h(
                "span",
                { class: "action-outcome" },
                a.outcome === "pending"
                  ? "pending"
                  : a.outcome === "abandoned"
                    ? "not finished"
                    : formatDuration(a.durationMs ?? 0),
              ),
            ),
          ),
        ),
      );
    },
    showVerify(r) {
      verifyCard.hidden = false;
      replaceChildren(
        verify,
        h(
          "div",
          { class: `callout ${r.ok ? "callout-green" : "callout-red"}` },
          icon(r.ok ? "shield" : "alert", 16),
          h(
            "div",
            {},
            h(
              "strong",
              {},
              r.ok
                ? "Deterministic"
                : `Diverged${r.divergedAt ? ` at event #${r.divergedAt}` : ""}`,
            ),
            h("p", {}, r.message),
          ),
        ),
        h(
          "div",
          { class: "hash-row" },
          h("span", { class: "field-label" }, "SHA-256 of the log"),
          h(
            "div",
            { class: "hash" },
            h("code", { class: "mono" }, r.hash),
            h(
              "button",
              {
                type: "button",
                class: "icon-btn",
                "aria-label": "Copy hash",
                onclick: () => copyText(r.hash, "Hash copied"),
              },
              icon("copy", 14),
            ),
          ),
        ),
      );
    },
  };
}

function card(title: string, id: string, body: HTMLElement): HTMLElement {
  return h(
    "section",
    { class: "card side-card", "aria-labelledby": id },
    h("div", { class: "card-head" }, h("h2", { class: "card-title", id }, title)),
    body,
  );
}

function muted(text: string): HTMLElement {
  return h("p", { class: "muted small" }, text);
}
