// Modal dialogs on the platform's <dialog>: focus trapping, Escape and the backdrop for free.
import { h } from "../../../ui-kit/dom.ts";
import { icon } from "./icons.ts";

let counter = 0;

/** A modal with a title, a body and a footer; removed from the page when closed. */
export function openDialog(options: {
  title: string;
  body: Node[];
  footer: Node[];
  wide?: boolean;
  onSubmit?: (e: SubmitEvent) => void;
}): HTMLDialogElement {
  const titleId = `dialog-title-${++counter}`;
  const closeButton = h(
    "button",
    { type: "button", class: "icon-btn dialog-close", "aria-label": "Close" },
    icon("x"),
  );
  const form = h(
    "form",
    { class: "dialog-body", novalidate: true },
    h(
      "div",
      { class: "dialog-head" },
      h("h2", { class: "dialog-title", id: titleId }, options.title),
      closeButton,
    ),
    ...options.body,
    h("div", { class: "dialog-actions" }, ...options.footer),
  );
  const dialog = h(
    "dialog",
    { class: `dialog${options.wide ? " dialog-wide" : ""}`, "aria-labelledby": titleId },
    form,
  );
  closeButton.addEventListener("click", () => dialog.close());
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    options.onSubmit?.(e);
  });
  dialog.addEventListener("click", (e) => {
    if (e.target === dialog) dialog.close();
  });
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/** Asks to confirm an action; resolves to the reason typed (or "") or `undefined` when dismissed. */
export function confirmDialog(options: {
  title: string;
  message: string | Node;
  confirmLabel: string;
  danger?: boolean;
  reasonLabel?: string;
}): Promise<string | undefined> {
  return new Promise((resolve) => {
    let answer: string | undefined;
    const reason = options.reasonLabel
      ? h("input", {
          class: "input",
          id: `reason-${counter + 1}`,
          placeholder: "Optional",
          maxlength: 500,
        })
      : undefined;
    const confirm = h(
      "button",
      { type: "submit", class: `btn ${options.danger ? "btn-danger" : "btn-primary"}` },
      options.confirmLabel,
    );
    const dialog = openDialog({
      title: options.title,
      body: [
        h("p", { class: "dialog-text" }, options.message),
        ...(reason
          ? [h("label", { class: "field-label", for: reason.id }, options.reasonLabel), reason]
          : []),
      ],
      footer: [
        h("button", { type: "button", class: "btn", onclick: () => dialog.close() }, "Keep as is"),
        confirm,
      ],
      onSubmit: () => {
        answer = reason?.value.trim() ?? "";
        dialog.close();
      },
    });
    dialog.addEventListener("close", () => resolve(answer));
    (reason ?? confirm).focus();
  });
}
