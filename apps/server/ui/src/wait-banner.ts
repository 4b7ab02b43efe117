// What a blocked run waits for when it is not a human's decision: a signal, a timer, a retry.
import { h } from "../../../ui-kit/dom.ts";
import { setText } from "./dom.ts";
import { formatClock, formatCountdown } from "./format.ts";
import { icon } from "./icons.ts";
import type { RunInfo } from "./types.ts";

/** A banner for the run's wait, or `undefined` when it waits on nothing of the kind. */
export function waitBanner(
  info: RunInfo,
  onSendSignal: () => void,
): { el: HTMLElement; tick(): void } | undefined {
  const b = info.status === "blocked" ? info.blocked : undefined;
  if (!b || b.interrupt) return undefined;
  if (b.waitSignal !== undefined) {
    const el = h(
      "section",
      { class: "wait-banner wait-signal", "aria-label": "What the run waits for" },
      h("span", { class: "wb-icon", "aria-hidden": "true" }, icon("radio", 18)),
      h(
        "div",
        { class: "wb-text" },
        h(
          "p",
          { class: "wb-title" },
          "Waiting for signal ",
          h("code", { class: "tl-code" }, b.waitSignal),
        ),
        h("p", { class: "wb-sub" }, "The run continues as soon as a signal of this name arrives."),
      ),
      h(
        "button",
        { type: "button", class: "btn", onclick: onSendSignal },
        icon("send", 14),
        "Send signal",
      ),
    );
    return { el, tick() {} };
  }
  const at = b.timerAt ?? b.retryAt;
  if (at === undefined) return undefined;
  const when = h("span", {});
  const el = h(
    "section",
    { class: "wait-banner wait-timer", "aria-label": "What the run waits for" },
    h(
      "span",
      { class: "wb-icon", "aria-hidden": "true" },
      icon(b.timerAt !== undefined ? "clock" : "retry", 18),
    ),
    h(
      "div",
      { class: "wb-text" },
      h(
        "p",
        { class: "wb-title" },
        b.timerAt !== undefined ? "Sleeping durably" : "Waiting to retry",
        " · wakes ",
        when,
      ),
      h(
        "p",
        { class: "wb-sub" },
        `At ${formatClock(at)}. The timer is stored with the run, so a restart of the server does not lose it.`,
      ),
    ),
  );
  const tick = () => setText(when, formatCountdown(at));
  tick();
  return { el, tick };
}
