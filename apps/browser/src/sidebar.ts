// The runs sidebar: every run stored in this browser, newest first, live.
import type { Json, RunSummary } from "runlog";
import type { BrowserHost } from "runlog/idb";
import { h, replaceChildren } from "../../ui-kit/dom.ts";
import { exampleFor, inputSummary } from "./examples.ts";
import { formatRelative, shortId } from "./format.ts";
import { icon } from "./icons.ts";
import { statusPill } from "./status.ts";

/** The runs list; `refresh` re-reads the index, `select` marks the open run. */
export class Sidebar {
  readonly el: HTMLElement;
  readonly #host: BrowserHost;
  readonly #list: HTMLElement;
  readonly #count: HTMLElement;
  readonly #inputs = new Map<string, Json | undefined>();
  #selected: string | undefined;
  #runs: RunSummary[] = [];
  #pending: ReturnType<typeof setTimeout> | undefined;

  constructor(host: BrowserHost) {
    this.#host = host;
    this.#count = h("span", { class: "count" });
    this.#list = h("nav", { class: "run-list", "aria-label": "Runs" });
    this.el = h(
      "aside",
      { class: "sidebar" },
      h("div", { class: "sidebar-head" }, h("h2", {}, "Runs"), this.#count),
      this.#list,
    );
    setInterval(() => this.#render(), 15_000);
  }

  /** Re-reads the runs soon, once for a burst of commits. */
  refreshSoon(): void {
    if (this.#pending) return;
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      void this.refresh();
    }, 60);
  }

  async refresh(): Promise<void> {
    const page = await this.#host.list({ limit: 200 });
    this.#runs = page.runs;
    await Promise.all(
      page.runs
        .filter((r) => !this.#inputs.has(r.runId))
        .map(async (r) => {
          const { events } = await this.#host.events(r.runId, 1, 1);
          const first = events[0]?.event;
          this.#inputs.set(r.runId, first?.type === "RunStarted" ? first.input : undefined);
        }),
    );
    this.#render();
  }

  select(runId: string | undefined): void {
    this.#selected = runId;
    for (const item of this.#list.querySelectorAll<HTMLElement>(".run-item")) {
      const on = item.dataset.runId === runId;
      item.classList.toggle("selected", on);
      if (on) item.setAttribute("aria-current", "page");
      else item.removeAttribute("aria-current");
    }
  }

  /** The newest run, for a first visit that lands on no run. */
  get runs(): readonly RunSummary[] {
    return this.#runs;
  }

  #render(): void {
    this.#count.textContent = String(this.#runs.length);
    if (this.#runs.length === 0) {
      replaceChildren(
        this.#list,
        h(
          "div",
          { class: "sidebar-empty" },
          icon("inbox", "empty-icon"),
          h("p", { class: "empty-title" }, "No runs yet"),
          h("p", {}, "Start one and it shows up here. Runs live in this browser, even offline."),
        ),
      );
      return;
    }
    replaceChildren(
      this.#list,
      this.#runs.map((run) => {
        const summary = inputSummary(this.#inputs.get(run.runId));
        return h(
          "a",
          {
            class: `run-item${run.runId === this.#selected ? " selected" : ""}`,
            href: `#/run/${encodeURIComponent(run.runId)}`,
            "data-run-id": run.runId,
            "data-status": run.status,
            ...(run.runId === this.#selected ? { "aria-current": "page" } : {}),
          },
          h(
            "div",
            { class: "run-item-top" },
            h(
              "span",
              { class: "run-item-name", title: run.workflow ?? "" },
              exampleFor(run.workflow ?? "unknown").title,
            ),
            statusPill(run.status, run.waitingOn),
          ),
          summary ? h("div", { class: "run-item-input" }, summary) : null,
          h(
            "div",
            { class: "run-item-meta" },
            h("span", { class: "mono" }, shortId(run.runId)),
            h("span", {}, `${run.head} events`),
            h(
              "time",
              { datetime: new Date(run.updatedAt).toISOString() },
              formatRelative(run.updatedAt),
            ),
          ),
        );
      }),
    );
  }
}
