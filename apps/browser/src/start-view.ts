// The start screen: one card per registered workflow, with its input and a Start button.
import type { Json, JsonObject, WorkflowInfo } from "runlog";
import type { BrowserHost } from "runlog/idb";
import { h } from "../../ui-kit/dom.ts";
import { byExampleOrder, exampleFor } from "./examples.ts";
import { pretty } from "./format.ts";
import { icon } from "./icons.ts";
import { messageOf, toast } from "./toast.ts";

/** Builds the start screen; `opened(runId)` is called with each started run. */
export function startView(
  host: BrowserHost,
  opened: (runId: string) => void,
  hasRuns: boolean,
): HTMLElement {
  const workflows = [...host.workflows()].sort((a, b) => byExampleOrder(a.name, b.name));
  return h(
    "section",
    { class: "start", "aria-labelledby": "start-title" },
    h(
      "header",
      { class: "start-head" },
      h("h1", { id: "start-title" }, hasRuns ? "Start a new run" : "Run your first agent session"),
      h(
        "p",
        { class: "lede" },
        "Every step is recorded in this browser. Close the tab mid-run and it picks up where it left off; fork any event to try another path; export a run and replay it anywhere.",
      ),
    ),
    workflows.length === 0
      ? h("div", { class: "empty-card" }, h("p", {}, "This app has no workflows registered."))
      : h(
          "div",
          { class: "workflow-grid" },
          workflows.map((w) => workflowCard(host, w, opened)),
        ),
  );
}

function workflowCard(
  host: BrowserHost,
  info: WorkflowInfo,
  opened: (runId: string) => void,
): HTMLElement {
  const example = exampleFor(info.name);
  const form = inputForm(example.input, example.long);
  const error = h("p", { class: "field-error", role: "alert", hidden: true });
  const button = h(
    "button",
    {
      class: "btn btn-primary",
      type: "submit",
      "data-workflow": info.name,
      "aria-label": `Start ${info.name}`,
    },
    icon("play"),
    "Start",
  );
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    error.hidden = true;
    let input: Json;
    try {
      input = form.read();
    } catch (e) {
      error.textContent = messageOf(e);
      error.hidden = false;
      return;
    }
    button.disabled = true;
    try {
      const started = await host.start(info.name, input);
      opened(started.runId);
    } catch (e) {
      error.textContent = messageOf(e);
      error.hidden = false;
      toast(`Could not start ${info.name}: ${messageOf(e)}`, "error");
    } finally {
      button.disabled = false;
    }
  };
  return h(
    "form",
    { class: "card workflow-card", "data-workflow": info.name, onsubmit: submit },
    h(
      "div",
      { class: "workflow-card-head" },
      h("h2", {}, example.title),
      h("span", { class: "mono tag" }, `${info.name} · v${info.version}`),
    ),
    h("p", { class: "muted" }, info.description ?? "A registered workflow."),
    form.el,
    error,
    h("div", { class: "card-actions" }, button),
  );
}

/** Fields for an object of strings and numbers; a JSON box for anything else. */
function inputForm(example: Json, long?: string): { el: HTMLElement; read(): Json } {
  const simple =
    example !== null &&
    typeof example === "object" &&
    !Array.isArray(example) &&
    Object.keys(example).length > 0 &&
    Object.values(example).every((v) => typeof v === "string" || typeof v === "number");
  if (!simple) {
    const box = h("textarea", {
      class: "input mono",
      rows: 4,
      spellcheck: "false",
      "aria-label": "Input (JSON)",
    });
    box.value = pretty(example);
    return {
      el: h("label", { class: "field" }, h("span", { class: "field-label" }, "Input (JSON)"), box),
      read: () => parseJson(box.value),
    };
  }
  const fields = Object.entries(example as JsonObject).map(([key, value]) => {
    const id = `f-${Math.random().toString(36).slice(2, 8)}`;
    const input =
      key === long
        ? h("textarea", { class: "input", id, name: key, rows: 3 })
        : h("input", {
            class: "input",
            id,
            name: key,
            type: typeof value === "number" ? "number" : "text",
          });
    input.value = String(value);
    return {
      key,
      number: typeof value === "number",
      input,
      el: h("div", { class: "field" }, h("label", { class: "field-label", for: id }, key), input),
    };
  });
  return {
    el: h(
      "div",
      { class: "fields" },
      fields.map((f) => f.el),
    ),
    read: () =>
      Object.fromEntries(
        fields.map((f) => {
          if (!f.number) return [f.key, f.input.value];
          const n = Number(f.input.value);
          if (f.input.value.trim() === "" || !Number.isFinite(n))
            throw new Error(`${f.key} must be a number`);
          return [f.key, n];
        }),
      ),
  };
}

/** Parses JSON typed by a person, with a message that says where it broke. */
export function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new Error(`That is not valid JSON (${messageOf(e)})`);
  }
}
