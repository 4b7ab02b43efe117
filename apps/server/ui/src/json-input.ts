// A JSON text area that says, as you type, whether its text parses.
import { h } from "../../../ui-kit/dom.ts";

/** A labelled JSON editor; `read()` gives the parsed value or throws with the parser's message. */
export function jsonInput(options: {
  id: string;
  label: string;
  value: string;
  rows?: number;
  hint?: string;
}): { el: HTMLElement; textarea: HTMLTextAreaElement; read(): unknown; set(text: string): void } {
  const textarea = h("textarea", {
    id: options.id,
    class: "input code-input",
    rows: options.rows ?? 6,
    spellcheck: "false",
    autocapitalize: "off",
    autocomplete: "off",
    "aria-describedby": `${options.id}-status`,
  });
  textarea.value = options.value;
  const status = h("span", {
    class: "json-status",
    id: `${options.id}-status`,
    "aria-live": "polite",
  });
  const check = () => {
    const text = textarea.value.trim();
    try {
      if (text !== "") JSON.parse(text);
      status.textContent = text === "" ? "Empty: sends null" : "Valid JSON";
      status.className = "json-status ok";
      textarea.removeAttribute("aria-invalid");
    } catch (error) {
      status.textContent = (error as Error).message.replace(/^JSON\.parse: /, "");
      status.className = "json-status bad";
      textarea.setAttribute("aria-invalid", "true");
    }
  };
  textarea.addEventListener("input", check);
  textarea.addEventListener("keydown", (e) => {
    // Tab indents inside the editor; Escape then Tab leaves it, as in code editors.
    if (e.key === "Tab" && !e.shiftKey && !textarea.dataset.escaped) {
      e.preventDefault();
      textarea.setRangeText("  ", textarea.selectionStart, textarea.selectionEnd, "end");
      check();
    }
    if (e.key === "Escape") textarea.dataset.escaped = "1";
    else if (e.key !== "Tab") delete textarea.dataset.escaped;
  });
  check();
  const el = h(
    "div",
    { class: "field" },
    h(
      "div",
      { class: "field-row" },
      h("label", { class: "field-label", for: options.id }, options.label),
      status,
    ),
    textarea,
    options.hint ? h("p", { class: "field-hint" }, options.hint) : null,
  );
  return {
    el,
    textarea,
    read() {
      const text = textarea.value.trim();
      return text === "" ? null : JSON.parse(text);
    },
    set(text: string) {
      textarea.value = text;
      check();
    },
  };
}
