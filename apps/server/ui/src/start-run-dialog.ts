// "Start run": pick a workflow, edit its JSON input (prefilled with an example), start it and
// open its page.

import { h } from "../../../ui-kit/dom.ts";
import { api } from "./api.ts";
import { openDialog } from "./dialog.ts";
import { exampleInput } from "./examples.ts";
import { jsonInput } from "./json-input.ts";
import { navigate, runHref } from "./router.ts";
import { toast, toastError } from "./toast.ts";
import type { WorkflowInfo } from "./types.ts";

/** Starts `workflow` with its example input and opens the new run. */
export async function startExample(workflow: string): Promise<void> {
  try {
    const started = await api.start(workflow, JSON.parse(exampleInput(workflow)));
    navigate(runHref(started.runId));
  } catch (error) {
    toastError(error, `Could not start ${workflow}`);
  }
}

/** Opens the dialog, with `preselect` chosen when the server has it. */
export async function openStartRunDialog(preselect = "demo.approval"): Promise<void> {
  let workflows: WorkflowInfo[];
  try {
    workflows = await api.workflows();
  } catch (error) {
    toastError(error, "Could not load the workflows");
    return;
  }
  if (workflows.length === 0) {
    toast("This server has no workflows to start", "error");
    return;
  }
  let chosen = workflows.find((w) => w.name === preselect) ?? (workflows[0] as WorkflowInfo);
  const input = jsonInput({
    id: "start-input",
    label: "Input",
    value: exampleInput(chosen.name),
    rows: 7,
    hint: "JSON passed to the workflow's init.",
  });
  const runId = h("input", {
    id: "start-run-id",
    class: "input mono",
    placeholder: "Generated when empty",
    maxlength: 200,
    autocomplete: "off",
  });
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const options = workflows.map((w) => {
    const radio = h("input", {
      type: "radio",
      name: "workflow",
      value: w.name,
      class: "wf-radio",
      checked: w === chosen,
    });
    radio.addEventListener("change", () => {
      chosen = w;
      input.set(exampleInput(w.name));
    });
    return h(
      "label",
      { class: "wf-option" },
      radio,
      h(
        "span",
        { class: "wf-option-text" },
        h(
          "span",
          { class: "wf-option-name" },
          h("span", { class: "mono" }, w.name),
          h("span", { class: "wf-version" }, `v${w.version}`),
        ),
        h("span", { class: "wf-option-desc" }, w.description ?? "No description."),
      ),
    );
  });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Start run");
  const dialog = openDialog({
    title: "Start a run",
    wide: true,
    body: [
      h(
        "fieldset",
        { class: "wf-options" },
        h("legend", { class: "field-label" }, "Workflow"),
        ...options,
      ),
      input.el,
      h(
        "details",
        { class: "advanced" },
        h("summary", {}, "Run id"),
        h(
          "div",
          { class: "field" },
          h("label", { class: "field-label", for: "start-run-id" }, "Run id"),
          runId,
          h(
            "p",
            { class: "field-hint" },
            "Starting with an existing id of the same workflow opens that run.",
          ),
        ),
      ),
      error,
    ],
    footer: [
      h("button", { type: "button", class: "btn", onclick: () => dialog.close() }, "Cancel"),
      submit,
    ],
    onSubmit: async () => {
      let value: unknown;
      try {
        value = input.read();
      } catch {
        error.hidden = false;
        error.textContent = "The input is not valid JSON.";
        input.textarea.focus();
        return;
      }
      submit.disabled = true;
      error.hidden = true;
      try {
        const started = await api.start(chosen.name, value, runId.value.trim() || undefined);
        dialog.close();
        navigate(runHref(started.runId));
      } catch (e) {
        error.hidden = false;
        error.textContent = (e as Error).message;
      } finally {
        submit.disabled = false;
      }
    },
  });
  (dialog.querySelector("input[name=workflow]:checked") as HTMLInputElement | null)?.focus();
}
