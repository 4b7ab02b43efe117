// The bearer token for servers started with RUNLOG_TOKEN: asked for on a 401, kept for the tab.
import { h } from "../../../ui-kit/dom.ts";

const KEY = "runlog.token";
let pending: Promise<string | undefined> | undefined;
// Once dismissed, the dialog stays away (polls would bring it back every few seconds) until the
// person asks for it again with `allowTokenPrompt`.
let dismissed = false;
// True after the server refused the token this tab held (it is then forgotten).
let rejected = false;

/** True when the person closed the token dialog without a token. */
export function tokenPromptDismissed(): boolean {
  return dismissed;
}

/** True when the server refused the last token this tab held, and no new one was given since. */
export function tokenRejected(): boolean {
  return rejected;
}

/**
 * Forgets `token` after the server answered 401 to it, so the page no longer claims to be signed
 * in. A newer token (another request's prompt may have set one meanwhile) is kept.
 */
export function forgetRejectedToken(token: string): void {
  if (getToken() !== token) return;
  rejected = true;
  setToken(undefined);
}

/** Lets the next 401 ask for a token again. */
export function allowTokenPrompt(): void {
  dismissed = false;
}

/** The token this tab holds, if any. */
export function getToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Keeps (or, with `undefined`, forgets) the token for this tab. */
export function setToken(token: string | undefined): void {
  if (token) rejected = false;
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage can be disabled; the token then lasts until the page reloads.
  }
  document.dispatchEvent(new CustomEvent("runlog:token"));
}

/**
 * Asks for a token in a modal dialog; several requests failing at once share one prompt.
 * Resolves to the token, or `undefined` when the person dismissed the dialog.
 */
export function askForToken(rejected: boolean): Promise<string | undefined> {
  if (dismissed) return Promise.resolve(undefined);
  pending ??= promptToken(rejected).then((token) => {
    pending = undefined;
    if (token === undefined) {
      dismissed = true;
      document.dispatchEvent(new CustomEvent("runlog:token"));
    }
    return token;
  });
  return pending;
}

function promptToken(rejected: boolean): Promise<string | undefined> {
  return new Promise((resolve) => {
    const input = h("input", {
      type: "password",
      class: "input mono",
      id: "token-input",
      autocomplete: "current-password",
      required: true,
      placeholder: "RUNLOG_TOKEN",
    });
    const form = h(
      "form",
      { method: "dialog", class: "dialog-body" },
      h("h2", { class: "dialog-title" }, "Access token required"),
      h(
        "p",
        { class: "muted" },
        rejected
          ? "The server did not accept that token. Check it and try again."
          : "This server was started with RUNLOG_TOKEN. Enter the token to see its runs; it is kept for this tab only.",
      ),
      h("label", { class: "field-label", for: "token-input" }, "Token"),
      input,
      h(
        "div",
        { class: "dialog-actions" },
        h(
          "button",
          { type: "button", class: "btn", value: "cancel", onclick: () => close() },
          "Cancel",
        ),
        h("button", { type: "submit", class: "btn btn-primary", value: "ok" }, "Continue"),
      ),
    );
    const dialog = h(
      "dialog",
      { class: "dialog dialog-narrow", "aria-labelledby": "token-title" },
      form,
    );
    form.querySelector("h2")?.setAttribute("id", "token-title");
    let token: string | undefined;
    const close = () => dialog.close();
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      token = input.value.trim() || undefined;
      dialog.close();
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (token) setToken(token);
      resolve(token);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
