// Short notices in the corner: what just happened, or what went wrong.

import { h } from "../../../ui-kit/dom.ts";
import { ApiError } from "./api.ts";
import { icon } from "./icons.ts";

/** Shows a notice for a few seconds. */
export function toast(message: string, kind: "info" | "success" | "error" = "info"): void {
  const region = document.getElementById("toasts");
  if (!region) return;
  const glyph = kind === "error" ? icon("alert") : kind === "success" ? icon("check") : icon("zap");
  const close = h(
    "button",
    { type: "button", class: "toast-close", "aria-label": "Dismiss" },
    icon("x", 14),
  );
  const el = h(
    "div",
    { class: `toast toast-${kind}` },
    glyph,
    h("span", { class: "toast-text" }, message),
    close,
  );
  const remove = () => {
    el.classList.add("toast-leaving");
    setTimeout(() => el.remove(), 200);
  };
  close.addEventListener("click", remove);
  region.append(el);
  // A few at a time: the oldest give way.
  while (region.childElementCount > 3) region.firstElementChild?.remove();
  setTimeout(remove, kind === "error" ? 8000 : 3000);
}

/** Shows what went wrong with a request. */
export function toastError(error: unknown, what?: string): void {
  const message =
    error instanceof ApiError || error instanceof Error ? error.message : String(error);
  toast(what ? `${what}: ${message}` : message, "error");
}

/** Copies text and says so. */
export async function copyText(text: string, what = "Copied"): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    toast(`${what} to the clipboard`, "success");
  } catch {
    toast("The browser did not allow copying", "error");
  }
}
