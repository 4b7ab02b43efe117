// Short notices at the bottom right: what just happened, or what went wrong and why.
import { h } from "../../ui-kit/dom.ts";
import { icon } from "./icons.ts";

export type ToastTone = "info" | "success" | "error";

/** Shows `message` for a few seconds (errors stay longer). */
export function toast(message: string, tone: ToastTone = "info"): void {
  const host = document.getElementById("toasts");
  if (!host) return;
  const el = h(
    "div",
    { class: `toast toast-${tone}`, role: tone === "error" ? "alert" : "status" },
    icon(tone === "error" ? "x" : tone === "success" ? "check" : "inbox"),
    h("span", {}, message),
  );
  host.appendChild(el);
  // A few at a time: older notices make way.
  while (host.childElementCount > 3) host.firstElementChild?.remove();
  const stay = tone === "error" ? 7000 : 2800;
  setTimeout(() => el.classList.add("toast-leave"), stay);
  setTimeout(() => el.remove(), stay + 400);
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
