// Send a signal to a run: a name, a JSON value, and an Idempotency-Key made here so a double
// click or a retry is recorded once.

import { h } from "../../../ui-kit/dom.ts";
import { api } from "./api.ts";
import { newId } from "./dom.ts";
import { icon } from "./icons.ts";
import { jsonInput } from "./json-input.ts";
import { toast, toastError } from "./toast.ts";

/** The form; `suggest` fills the name a run waits for, `setEnabled` follows the run's status. */
export function createSignalForm(
  runId: string,
  onSent: () => void,
): {
  el: HTMLElement;
  suggest(name: string | undefined): void;
  setEnabled(enabled: boolean): void;
  open(): void;
} {
  let key = newId();
  const name = h("input", {
    id: "signal-name",
    class: "input mono",
    placeholder: "go",
    required: true,
    maxlength: 100,
    autocomplete: "off",
    spellcheck: "false",
  });
  const value = jsonInput({ id: "signal-value", label: "Value", value: '"hello"', rows: 3 });
  const keyText = h("code", { class: "key-text" }, key);
  const renew = h(
    "button",
    { type: "button", class: "icon-btn", "aria-label": "New idempotency key", title: "New key" },
    icon("refresh", 13),
  );
  const submit = h(
    "button",
    { type: "submit", class: "btn btn-block" },
    icon("send", 14),
    "Send signal",
  );
  const newKey = () => {
    key = newId();
    keyText.textContent = key;
  };
  renew.addEventListener("click", newKey);
  let userTyped = false;
  name.addEventListener("input", () => {
    userTyped = true;
  });

  const form = h(
    "form",
    { class: "signal-form", novalidate: true },
    h(
      "div",
      { class: "field" },
      h("label", { class: "field-label", for: "signal-name" }, "Name"),
      name,
    ),
    value.el,
    h(
      "p",
      { class: "key-line" },
      icon("key", 13),
      h("span", { class: "visually-hidden" }, "Idempotency key"),
      keyText,
      renew,
    ),
    submit,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const signalName = name.value.trim() || name.placeholder;
    let parsed: unknown;
    try {
      parsed = value.read();
    } catch {
      toast("The signal's value is not valid JSON", "error");
      value.textarea.focus();
      return;
    }
    submit.disabled = true;
    try {
      await api.signal(runId, signalName, parsed, key);
      toast(`Signal “${signalName}” sent`, "success");
      newKey();
      onSent();
    } catch (error) {
      toastError(error, "Could not send the signal");
    } finally {
      submit.disabled = form.dataset.disabled === "1";
    }
  });

  // Collapsed until the run waits for a signal or someone opens it: most runs never need one.
  form.id = "signal-form";
  form.hidden = true;
  let touched = false;
  const toggle = h(
    "button",
    {
      type: "button",
      class: "card-toggle",
      "aria-expanded": "false",
      "aria-controls": "signal-form",
    },
    h("span", { class: "card-title", id: "signal-title" }, "Send a signal"),
    h("span", { class: "card-chevron", "aria-hidden": "true" }, icon("chevronDown", 16)),
  );
  const expand = (open: boolean) => {
    form.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.addEventListener("click", () => {
    touched = true;
    expand(form.hidden === true);
  });
  const el = h(
    "section",
    { class: "card side-card", "aria-labelledby": "signal-title" },
    h("h2", { class: "card-head card-head-toggle" }, toggle),
    form,
  );

  return {
    el,
    suggest(suggested) {
      name.placeholder = suggested ?? "go";
      if (suggested && !userTyped) name.value = suggested;
      if (suggested && !touched) expand(true);
    },
    setEnabled(enabled) {
      form.dataset.disabled = enabled ? "0" : "1";
      submit.disabled = !enabled;
      el.hidden = !enabled;
    },
    open() {
      touched = true;
      expand(true);
      el.scrollIntoView({ behavior: "smooth", block: "nearest" });
      (userTyped || name.value ? value.textarea : name).focus();
    },
  };
}
