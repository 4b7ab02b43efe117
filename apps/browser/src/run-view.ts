// One run: its header and actions, what it needs from you, its live timeline, and its details.
import type { Json, RunInfo, SequencedEvent, VerifyReport } from "runlog";
import type { BrowserHost } from "runlog/idb";
import { h, replaceChildren } from "../../ui-kit/dom.ts";
import { attentionPanel, type Panel, panelKey } from "./attention.ts";
import { exampleFor, inputSummary } from "./examples.ts";
import { formatDateTime, formatDuration, formatRelative, pretty, shortId } from "./format.ts";
import { icon } from "./icons.ts";
import { parseJson } from "./start-view.ts";
import { statusPill, waitingOf } from "./status.ts";
import { TimelineView } from "./timeline-view.ts";
import { messageOf, toast } from "./toast.ts";
import { download } from "./transfer.ts";

/** Where the run view sends the user. */
export interface Navigate {
  toRun(runId: string): void;
}

/** The screen of one run, live until `dispose`. */
export class RunView {
  readonly el: HTMLElement;
  readonly #host: BrowserHost;
  readonly #runId: string;
  readonly #nav: Navigate;
  readonly #abort = new AbortController();
  readonly #timeline: TimelineView;
  readonly #head = h("header", { class: "run-head" });
  readonly #attention = h("div", { class: "attention-slot" });
  readonly #details = h("section", { class: "card details", "aria-labelledby": "details-title" });
  readonly #integrity = h("section", {
    class: "card integrity",
    "aria-labelledby": "integrity-title",
  });
  readonly #signal = h("section", { class: "card signal-card", "aria-labelledby": "signal-title" });
  readonly #ticker: ReturnType<typeof setInterval>;
  #info: RunInfo;
  #input: Json = null;
  #forkedFrom: { runId: string; atSeq: number } | undefined;
  #sleepStartedAt: number | undefined;
  #panel: Panel | undefined;
  #panelKey = "";
  #verified: { head: number; report: VerifyReport } | undefined;
  #verifying = false;
  #refreshing: ReturnType<typeof setTimeout> | undefined;
  #cancelArmed = false;
  #disposed = false;

  private constructor(host: BrowserHost, info: RunInfo, nav: Navigate) {
    this.#host = host;
    this.#runId = info.runId;
    this.#info = info;
    this.#nav = nav;
    this.#timeline = new TimelineView((seq) => void this.#fork(seq));
    this.el = h(
      "article",
      { class: "run", "data-run-id": info.runId },
      this.#head,
      h(
        "div",
        { class: "run-body" },
        h("div", { class: "run-main" }, this.#attention, this.#timeline.el),
        h("div", { class: "run-side" }, this.#details, this.#integrity, this.#signal),
      ),
    );
    this.#ticker = setInterval(() => this.#panel?.tick?.(), 250);
  }

  /** Opens the run, or answers `undefined` when this browser has no such run. */
  static async open(host: BrowserHost, runId: string, nav: Navigate): Promise<RunView | undefined> {
    let info: RunInfo;
    try {
      info = await host.get(runId);
    } catch {
      return undefined;
    }
    const view = new RunView(host, info, nav);
    view.#render();
    void view.#watch(info.head);
    return view;
  }

  dispose(): void {
    this.#disposed = true;
    this.#abort.abort();
    clearInterval(this.#ticker);
    if (this.#refreshing) clearTimeout(this.#refreshing);
  }

  async #watch(loadedHead: number): Promise<void> {
    try {
      for await (const se of this.#host.watch(this.#runId, {
        follow: true,
        signal: this.#abort.signal,
      })) {
        this.#learn(se);
        this.#timeline.add(se, se.seq > loadedHead);
        if (se.seq > loadedHead || se.seq === this.#info.head) this.#refreshSoon();
      }
    } catch (error) {
      if (!this.#disposed) toast(`Stopped following the run: ${messageOf(error)}`, "error");
    }
  }

  #learn(se: SequencedEvent): void {
    const e = se.event;
    if (e.type === "RunStarted") this.#input = e.input;
    if (e.type === "Forked") this.#forkedFrom = { runId: e.fromRunId, atSeq: e.atSeq };
    if (e.type === "ActionRequested" && e.action.type === "sleep") this.#sleepStartedAt = se.ts;
  }

  #refreshSoon(): void {
    if (this.#refreshing || this.#disposed) return;
    this.#refreshing = setTimeout(() => {
      this.#refreshing = undefined;
      void this.#refresh();
    }, 40);
  }

  async #refresh(): Promise<void> {
    try {
      this.#info = await this.#host.get(this.#runId);
    } catch (error) {
      toast(messageOf(error), "error");
      return;
    }
    if (this.#disposed) return;
    this.#render();
    if (this.#info.status !== "running" && this.#verified?.head !== this.#info.head)
      void this.#verify();
  }

  #render(): void {
    this.#renderHead();
    const key = panelKey(this.#info);
    if (key !== this.#panelKey) {
      this.#panelKey = key;
      this.#panel = attentionPanel({
        host: this.#host,
        info: this.#info,
        sleepStartedAt: this.#sleepStartedAt,
      });
      replaceChildren(this.#attention, this.#panel?.el);
    }
    this.#renderDetails();
    this.#renderIntegrity();
    this.#renderSignal();
  }

  #renderHead(): void {
    const info = this.#info;
    const ended =
      info.status === "completed" || info.status === "failed" || info.status === "cancelled";
    const exportButton = h(
      "button",
      { class: "btn", type: "button", "data-action": "export", onclick: () => void this.#export() },
      icon("download"),
      "Export",
    );
    const cancel = ended
      ? null
      : h(
          "button",
          {
            class: `btn btn-deny${this.#cancelArmed ? " armed" : ""}`,
            type: "button",
            "data-action": "cancel",
            onclick: () => void this.#cancel(),
          },
          icon("ban"),
          this.#cancelArmed ? "Click again to cancel" : "Cancel run",
        );
    const summary = inputSummary(this.#input);
    replaceChildren(
      this.#head,
      h(
        "div",
        { class: "run-title" },
        h(
          "div",
          { class: "run-title-line" },
          h("h1", {}, exampleFor(info.workflow).title),
          statusPill(info.status, waitingOf(info.blocked)),
        ),
        summary ? h("p", { class: "run-subtitle" }, summary) : null,
        h(
          "p",
          { class: "run-meta" },
          h("span", { class: "mono" }, `${info.workflow} v${info.version}`),
          h("span", { class: "mono", title: info.runId }, shortId(info.runId)),
          h("span", {}, `started ${formatRelative(info.createdAt)}`),
          h("span", {}, `${info.head} events`),
        ),
      ),
      h("div", { class: "run-actions" }, exportButton, cancel),
    );
  }

  #renderDetails(): void {
    const info = this.#info;
    const rows: [string, Node | string][] = [
      ["Run ID", h("span", { class: "mono break", "data-role": "run-id" }, info.runId)],
      ["Workflow", h("span", { class: "mono" }, `${info.workflow} v${info.version}`)],
      ["Started", formatDateTime(info.createdAt)],
      ["Last event", formatDateTime(info.updatedAt)],
      ["Duration", formatDuration(info.updatedAt - info.createdAt)],
      ["Events", String(info.head)],
    ];
    if (this.#forkedFrom) {
      const from = this.#forkedFrom;
      rows.push([
        "Forked from",
        h(
          "a",
          { href: `#/run/${encodeURIComponent(from.runId)}`, class: "mono" },
          `${shortId(from.runId)} at #${from.atSeq}`,
        ),
      ]);
    }
    replaceChildren(
      this.#details,
      h("div", { class: "card-head" }, h("h2", { id: "details-title" }, "Details")),
      h(
        "dl",
        { class: "facts" },
        rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
      ),
      h(
        "div",
        { class: "side-block" },
        h("span", { class: "field-label" }, "Input"),
        h("pre", { class: "json" }, pretty(this.#input)),
      ),
    );
  }

  #renderIntegrity(): void {
    const v = this.#verified;
    const current = v !== undefined && v.head === this.#info.head;
    let body: Node;
    if (!v) {
      body = h(
        "p",
        { class: "muted" },
        this.#info.status === "running" ? "Checked once the run pauses or ends." : "Checking…",
      );
    } else {
      const r = v.report;
      body = h(
        "div",
        {},
        h(
          "p",
          {
            class: `verdict ${r.ok ? "ok" : "bad"}`,
            "data-role": "verdict",
            "data-verified": String(r.ok),
          },
          icon(r.ok ? "shield" : "x"),
          r.ok
            ? "Verified: replay matches the log"
            : `Diverged${r.divergedAt ? ` at #${r.divergedAt}` : ""}`,
        ),
        r.ok
          ? h(
              "p",
              { class: "muted small" },
              `${plural(r.decisions, "decision")} re-driven over ${plural(r.head, "event")}${current ? "" : " (before the latest events)"}`,
            )
          : h("p", { class: "error-text small" }, r.message),
        h("span", { class: "field-label" }, "SHA-256 of the event stream"),
        h("code", { class: "hash", "data-role": "hash" }, r.hash),
      );
    }
    const again = h(
      "button",
      {
        class: "btn btn-small btn-ghost",
        type: "button",
        "data-action": "verify",
        disabled: this.#verifying,
        onclick: () => void this.#verify(),
      },
      icon("retry"),
      "Verify now",
    );
    replaceChildren(
      this.#integrity,
      h("div", { class: "card-head" }, h("h2", { id: "integrity-title" }, "Integrity"), again),
      body,
    );
  }

  #renderSignal(): void {
    const info = this.#info;
    const ended =
      info.status === "completed" || info.status === "failed" || info.status === "cancelled";
    this.#signal.hidden = ended;
    if (ended || this.#signal.childElementCount > 0) return;
    const name = h("input", {
      class: "input mono",
      type: "text",
      value: info.blocked?.waitSignal ?? "go",
      "aria-label": "Signal name",
    });
    const value = h("input", {
      class: "input mono",
      type: "text",
      value: "true",
      "aria-label": "Signal value (JSON)",
    });
    const send = h("button", { class: "btn btn-small", type: "submit" }, icon("send"), "Send");
    const submit = async (event: SubmitEvent) => {
      event.preventDefault();
      let parsed: Json;
      try {
        parsed = parseJson(value.value);
      } catch (error) {
        toast(messageOf(error), "error");
        return;
      }
      send.disabled = true;
      try {
        await this.#host.signal(this.#runId, name.value.trim(), parsed);
        toast(`Signal “${name.value.trim()}” sent`, "success");
      } catch (error) {
        toast(messageOf(error), "error");
      } finally {
        send.disabled = false;
      }
    };
    replaceChildren(
      this.#signal,
      h("div", { class: "card-head" }, h("h2", { id: "signal-title" }, "Send a signal")),
      h(
        "p",
        { class: "muted small" },
        "Signals wait in the log until the run asks for one of that name.",
      ),
      h(
        "form",
        { class: "signal-form", onsubmit: submit },
        h("label", { class: "field" }, h("span", { class: "field-label" }, "Name"), name),
        h("label", { class: "field" }, h("span", { class: "field-label" }, "Value (JSON)"), value),
        send,
      ),
    );
  }

  async #verify(): Promise<void> {
    if (this.#verifying) return;
    this.#verifying = true;
    try {
      const head = this.#info.head;
      const report = await this.#host.verify(this.#runId);
      this.#verified = { head: Math.max(head, report.head), report };
    } catch (error) {
      toast(`Could not verify: ${messageOf(error)}`, "error");
    } finally {
      this.#verifying = false;
      if (!this.#disposed) this.#renderIntegrity();
    }
  }

  async #export(): Promise<void> {
    try {
      const text = await this.#host.exportRun(this.#runId);
      download(`${this.#info.workflow}-${shortId(this.#runId)}.ndjson`, text);
      toast("Exported as NDJSON", "success");
    } catch (error) {
      toast(`Could not export: ${messageOf(error)}`, "error");
    }
  }

  async #cancel(): Promise<void> {
    if (!this.#cancelArmed) {
      this.#cancelArmed = true;
      this.#renderHead();
      setTimeout(() => {
        this.#cancelArmed = false;
        if (!this.#disposed) this.#renderHead();
      }, 3000);
      return;
    }
    this.#cancelArmed = false;
    try {
      await this.#host.cancel(this.#runId, "cancelled in the browser app");
      toast("Run cancelled", "success");
    } catch (error) {
      toast(messageOf(error), "error");
    }
  }

  async #fork(seq: number): Promise<void> {
    try {
      const forked = await this.#host.fork(this.#runId, seq);
      toast(`Forked at #${seq} into a new run`, "success");
      this.#nav.toRun(forked.runId);
    } catch (error) {
      toast(`Could not fork: ${messageOf(error)}`, "error");
    }
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
