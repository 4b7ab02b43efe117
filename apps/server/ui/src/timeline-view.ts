// The run's live timeline: one entry per event with its icon, title, times, duration and
// attempts, a collapsible payload, and "Fork from here".
import { h } from "../../../ui-kit/dom.ts";
import { setText } from "./dom.ts";
import { describeEvent } from "./event-describe.ts";
import { formatClock, formatDateTime, formatDuration, formatOffset } from "./format.ts";
import { icon } from "./icons.ts";
import { jsonView } from "./json-view.ts";
import { runHref } from "./router.ts";
import { type ActionTrack, TimelineModel } from "./timeline-model.ts";
import type { ApiEvent } from "./types.ts";

/** The timeline of one run; `add` appends events as they arrive. */
export function createTimeline(options: { onFork(seq: number): void }): {
  el: HTMLElement;
  model: TimelineModel;
  add(events: ApiEvent[]): void;
  setLive(state: "live" | "reconnecting" | "ended"): void;
} {
  const model = new TimelineModel();
  const list = h("ol", { class: "timeline", "aria-label": "Events" });
  const liveBadge = h("span", { class: "live-badge", "data-state": "ended" });
  const count = h("span", { class: "card-count" });
  const pendingChips = new Map<string, HTMLElement>();
  const el = h(
    "section",
    { class: "card timeline-card", "aria-labelledby": "timeline-title" },
    h(
      "div",
      { class: "card-head" },
      h("h2", { class: "card-title", id: "timeline-title" }, "Timeline", count),
      liveBadge,
    ),
    list,
  );

  const entry = (e: ApiEvent) => {
    const facts = model.add(e);
    const d = describeEvent(e, facts);
    const payloadId = `payload-${e.seq}`;
    const toggle = h(
      "button",
      {
        type: "button",
        class: "btn btn-ghost btn-xs",
        "aria-expanded": "false",
        "aria-controls": payloadId,
      },
      icon("chevronRight", 14),
      "Payload",
    );
    const fork = h(
      "button",
      {
        type: "button",
        class: "btn btn-ghost btn-xs tl-fork",
        title: `Start a new run from events 1–${e.seq}`,
        onclick: () => options.onFork(e.seq),
      },
      icon("fork", 14),
      "Fork from here",
    );
    const panel = h("div", { class: "tl-payload", id: payloadId, hidden: true });
    toggle.addEventListener("click", () => {
      const open = panel.hidden !== false;
      if (open && panel.childElementCount === 0) {
        panel.append(jsonView(d.payload, { copy: true, label: `payload of event ${e.seq}` }));
      }
      panel.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      toggle.classList.toggle("is-open", open);
    });

    const chips = h("span", { class: "tl-chips" });
    if (facts.durationMs !== undefined && e.type !== "ActionAttemptFailed") {
      chips.append(
        chip(formatDuration(facts.durationMs), e.type === "Resumed" ? "waited" : "took"),
      );
    }
    if (e.type === "ActionRequested" && facts.action) {
      const c = h(
        "span",
        { class: "chip chip-pending" },
        h("span", { class: "spinner", "aria-hidden": "true" }),
        "running",
      );
      pendingChips.set(facts.action.actionId, c);
      chips.append(c);
    }
    if (
      (e.type === "ActionSucceeded" || e.type === "ActionFailed") &&
      facts.action &&
      facts.action.attempts > 1
    ) {
      chips.append(chip(`${facts.action.attempts} attempts`, "", "chip-amber"));
    }
    if (facts.action && e.type !== "ActionRequested") settle(facts.action);
    if (e.type === "Cancelled" || e.type === "Completed") {
      for (const action of model.actions.values()) settle(action);
    }

    return h(
      "li",
      { class: `tl-item tone-${d.tone}`, "data-seq": e.seq, "data-type": e.type },
      h("span", { class: "tl-marker", "aria-hidden": "true" }, icon(d.icon, 14)),
      h(
        "div",
        { class: "tl-content" },
        h(
          "div",
          { class: "tl-line" },
          h("span", { class: "tl-seq mono" }, `#${e.seq}`),
          h(
            "span",
            { class: "tl-title" },
            d.title.map((part) =>
              typeof part === "string" ? part : h("code", { class: "tl-code" }, part.code),
            ),
          ),
          d.link ? h("a", { class: "tl-link", href: runHref(d.link.runId) }, d.link.label) : null,
          chips,
          h(
            "span",
            { class: "tl-time" },
            h(
              "time",
              { datetime: new Date(e.ts).toISOString(), title: formatDateTime(e.ts) },
              formatClock(e.ts),
            ),
            h("span", { class: "tl-offset" }, formatOffset(facts.atMs)),
          ),
        ),
        d.detail ? h("p", { class: "tl-detail" }, d.detail) : null,
        h("div", { class: "tl-actions" }, toggle, fork),
        panel,
      ),
    );
  };

  // An action's request shows "running" until its outcome arrives, then how it ended.
  const settle = (action: ActionTrack) => {
    const c = pendingChips.get(action.actionId);
    if (!c) return;
    if (action.outcome === "pending") {
      c.replaceChildren(
        h("span", { class: "spinner", "aria-hidden": "true" }),
        `retrying · attempt ${action.attempts}`,
      );
      return;
    }
    pendingChips.delete(action.actionId);
    if (action.outcome === "abandoned") {
      c.className = "chip";
      c.replaceChildren("not finished");
      return;
    }
    c.className = `chip ${action.outcome === "succeeded" ? "chip-green" : "chip-red"}`;
    c.replaceChildren(
      icon(action.outcome === "succeeded" ? "check" : "x", 12),
      `${action.outcome} in ${formatDuration(action.durationMs ?? 0)}`,
    );
  };

  return {
    el,
    model,
    add(events) {
      for (const e of events) {
        if (e.seq <= model.lastSeq) continue;
        const item = entry(e);
        list.append(item);
        if (events.length === 1) item.classList.add("tl-new");
      }
      setText(count, String(model.lastSeq));
    },
    setLive(state) {
      liveBadge.dataset.state = state;
      liveBadge.replaceChildren(
        state === "ended" ? "" : h("span", { class: "live-dot", "aria-hidden": "true" }),
        state === "live" ? "Live" : state === "reconnecting" ? "Reconnecting…" : "",
      );
      liveBadge.hidden = state === "ended";
    },
  };
}

function chip(text: string, prefix: string, extra = ""): HTMLElement {
  return h(
    "span",
    { class: `chip ${extra}`.trim() },
    prefix ? h("span", { class: "chip-prefix" }, prefix) : null,
    text,
  );
}
