// The app's frame: top bar, runs sidebar, and the screen the address names (#/ or #/run/<id>).
import type { BrowserHost } from "runlog/idb";
import { h, replaceChildren } from "../../ui-kit/dom.ts";
import { icon } from "./icons.ts";
import { RunView } from "./run-view.ts";
import { Sidebar } from "./sidebar.ts";
import { startView } from "./start-view.ts";
import { messageOf, toast } from "./toast.ts";
import { headerRunId } from "./transfer.ts";

/** The app on a browser host, mounted into `root`. */
export class App {
  readonly #host: BrowserHost;
  readonly #main = h("main", { class: "main", id: "main", tabindex: "-1" });
  readonly #sidebar: Sidebar;
  readonly #network = h("span", { class: "net" });
  readonly #file = h("input", {
    type: "file",
    accept: ".ndjson,.jsonl,.json,.txt,application/x-ndjson,application/json,text/plain",
    class: "visually-hidden",
    id: "import-file",
    // The visible Import button opens it: one button for a screen reader and the keyboard, not two.
    tabindex: "-1",
    "aria-hidden": "true",
  });
  #view: RunView | undefined;
  #route = "";

  constructor(host: BrowserHost, root: HTMLElement) {
    this.#host = host;
    this.#sidebar = new Sidebar(host);
    this.#file.addEventListener("change", () => void this.#import());
    replaceChildren(
      root,
      h(
        "header",
        { class: "topbar" },
        h(
          "a",
          { class: "brand", href: "#/", "aria-label": "runlog: start a run" },
          h("span", { class: "brand-mark", "aria-hidden": "true" }),
          h("span", { class: "brand-name" }, "runlog"),
          h("span", { class: "brand-tag" }, "agent sessions in your browser"),
        ),
        h(
          "div",
          { class: "topbar-end" },
          this.#network,
          this.#file,
          h(
            "button",
            {
              class: "btn",
              type: "button",
              "data-action": "import",
              "aria-label": "Import a run from an NDJSON file",
              onclick: () => this.#file.click(),
            },
            icon("upload"),
            "Import",
          ),
          h(
            "a",
            { class: "btn btn-primary", href: "#/", "data-action": "new-run" },
            icon("plus"),
            "New run",
          ),
        ),
      ),
      h("div", { class: "layout" }, this.#sidebar.el, this.#main),
    );
  }

  async start(): Promise<void> {
    this.#host.onCommit(() => this.#sidebar.refreshSoon());
    addEventListener("hashchange", () => void this.#show());
    addEventListener("online", () => this.#renderNetwork());
    addEventListener("offline", () => this.#renderNetwork());
    this.#renderNetwork();
    await this.#sidebar.refresh();
    await this.#show();
  }

  #renderNetwork(): void {
    const online = navigator.onLine;
    this.#network.className = `net ${online ? "net-online" : "net-offline"}`;
    replaceChildren(
      this.#network,
      icon(online ? "database" : "wifiOff"),
      online ? "Saved in this browser" : "Offline · runs keep working",
    );
  }

  async #show(): Promise<void> {
    const route = location.hash;
    if (route === this.#route && this.#view) return;
    this.#route = route;
    this.#view?.dispose();
    this.#view = undefined;
    const match = /^#\/run\/(.+)$/.exec(route);
    if (!match) {
      this.#sidebar.select(undefined);
      replaceChildren(
        this.#main,
        startView(this.#host, (runId) => this.toRun(runId), this.#sidebar.runs.length > 0),
      );
      document.title = "runlog · new run";
      return;
    }
    const runId = decodeURIComponent(match[1] ?? "");
    this.#sidebar.select(runId);
    const view = await RunView.open(this.#host, runId, this);
    if (location.hash !== route) {
      view?.dispose();
      return;
    }
    if (!view) {
      replaceChildren(
        this.#main,
        h(
          "div",
          { class: "empty-state" },
          icon("inbox", "empty-icon"),
          h("h1", {}, "No such run here"),
          h(
            "p",
            {},
            `This browser has no run ${runId}. Runs live in the browser that made them; import an export to bring one here.`,
          ),
          h("a", { class: "btn btn-primary", href: "#/" }, "Start a run"),
        ),
      );
      return;
    }
    this.#view = view;
    replaceChildren(this.#main, view.el);
    this.#main.scrollTop = 0;
    document.title = `runlog · ${runId.slice(0, 8)}`;
  }

  /** Opens a run. */
  toRun(runId: string): void {
    location.hash = `#/run/${encodeURIComponent(runId)}`;
    void this.#sidebar.refresh();
  }

  async #import(): Promise<void> {
    const file = this.#file.files?.[0];
    this.#file.value = "";
    if (!file) return;
    const text = await file.text();
    const runId = headerRunId(text);
    try {
      if (runId !== undefined && (await this.#host.store.head(runId)) > 0) {
        toast("This run is already in this browser; opened it.", "info");
        this.toRun(runId);
        return;
      }
      const imported = await this.#host.importRun(text);
      toast(`Imported ${imported.head} events; the hash checks out`, "success");
      this.toRun(imported.runId);
    } catch (error) {
      toast(`Could not import ${file.name}: ${messageOf(error)}`, "error");
    }
  }
}
