// The timeline: every event of the run as it is committed; open one to see its payload and fork
// a new run from it.
import type { SequencedEvent } from "runlog";
import { h } from "../../ui-kit/dom.ts";
import { TimelineFacts } from "./describe-event.ts";
import { formatClock, formatDuration, formatOffset, pretty } from "./format.ts";
import { icon } from "./icons.ts";
import { toast } from "./toast.ts";

/** A growing list of events. */
export class TimelineView {
  readonly el: HTMLElement;
  readonly #list: HTMLOListElement;
  readonly #count: HTMLElement;
  readonly #facts = new TimelineFacts();
  readonly #fork: (seq: number) => void;
  #size = 0;

  constructor(fork: (seq: number) => void) {
    this.#fork = fork;
    this.#count = h("span", { class: "count" }, "0");
    this.#list = h("ol", { class: "timeline", "aria-label": "Events" });
    this.el = h(
      "section",
      { class: "card timeline-card", "aria-labelledby": "timeline-title" },
      h(
        "div",
        { class: "card-head" },
        h("h2", { id: "timeline-title" }, "Timeline"),
        this.#count,
        h("span", { class: "card-hint" }, "Open an event to see its payload or fork from it"),
      ),
      this.#list,
    );
  }

  /** Adds an event at the end; `live` marks one that arrived while watching. */
  add(se: SequencedEvent, live: boolean): void {
    if (se.seq <= this.#size) return;
    this.#size = se.seq;
    this.#count.textContent = String(this.#size);
    const view = this.#facts.describe(se);
    const at = se.ts - (this.#facts.first ?? se.ts);
    const body = h(
      "div",
      { class: "event-body", hidden: true },
      h(
        "dl",
        { class: "event-facts" },
        h("dt", {}, "Type"),
        h("dd", { class: "mono" }, se.event.type),
        h("dt", {}, "Committed"),
        h("dd", {}, `${formatClock(se.ts)} (${formatOffset(at)})`),
      ),
      h("pre", { class: "json", tabindex: "0" }, pretty(se.event)),
      h(
        "div",
        { class: "event-actions" },
        h(
          "button",
          {
            class: "btn btn-small",
            type: "button",
            "data-action": "fork",
            title: `A new run with events 1…${se.seq} of this one, continuing live from there`,
            onclick: () => this.#fork(se.seq),
          },
          icon("fork"),
          `Fork from #${se.seq}`,
        ),
        h(
          "button",
          {
            class: "btn btn-small btn-ghost",
            type: "button",
            onclick: () =>
              void navigator.clipboard?.writeText(JSON.stringify(se)).then(
                () => toast("Event copied as JSON", "success"),
                () => toast("The clipboard is not available here", "error"),
              ),
          },
          icon("copy"),
          "Copy JSON",
        ),
      ),
    );
    const row = h(
      "button",
      { class: "event-row", type: "button", "aria-expanded": "false" },
      h("span", { class: "event-seq mono" }, `#${se.seq}`),
      h("span", { class: "event-marker" }, icon(view.icon)),
      h(
        "span",
        { class: "event-main" },
        h("span", { class: "event-title" }, view.title),
        view.detail ? h("span", { class: "event-detail" }, view.detail) : null,
      ),
      h(
        "span",
        { class: "event-time" },
        h("span", {}, formatOffset(at)),
        view.durationMs !== undefined
          ? h("span", { class: "event-duration" }, formatDuration(view.durationMs))
          : null,
      ),
    );
    row.addEventListener("click", () => {
      const open = body.hidden !== false;
      body.hidden = !open;
      row.setAttribute("aria-expanded", String(open));
      item.classList.toggle("open", open);
    });
    const item = h(
      "li",
      {
        class: `event tone-${view.tone}${live ? " event-new" : ""}`,
        "data-type": se.event.type,
        "data-seq": String(se.seq),
      },
      row,
      body,
    );
    this.#list.appendChild(item);
  }
}
