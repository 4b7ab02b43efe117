// The panel above the timeline: what the run needs from you (an approval, a signal), what it
// waits for (a timer, a retry), or how it ended.
import type { Json, RunInfo } from "runlog";
import type { BrowserHost } from "runlog/idb";
import { h } from "../../ui-kit/dom.ts";
import { preview } from "../../ui-kit/format.ts";
import { formatClock, formatDuration, pretty } from "./format.ts";
import { icon } from "./icons.ts";
import { parseJson } from "./start-view.ts";
import { messageOf, toast } from "./toast.ts";

/** A panel and, for countdowns, what to call every tick. */
export interface Panel {
  el: HTMLElement;
  tick?: () => void;
}

/** What a panel needs to act on the run. */
export interface PanelContext {
  host: BrowserHost;
  info: RunInfo;
  /** When the sleep the run waits on was requested (for the progress bar). */
  sleepStartedAt?: number | undefined;
}

/** The key that changes when the panel must be rebuilt (and not otherwise: a form keeps its text). */
export function panelKey(info: RunInfo): string {
  return JSON.stringify([
    info.status,
    info.blocked ?? null,
    info.output ?? null,
    info.error ?? null,
  ]);
}

/** The panel for the run as it stands, or `undefined` when there is nothing to say. */
export function attentionPanel(ctx: PanelContext): Panel | undefined {
  const { info } = ctx;
  const b = info.blocked;
  if (info.status === "blocked" && b?.interrupt)
    return interruptPanel(ctx, b.interrupt.id, b.interrupt.value);
  if (info.status === "blocked" && b?.waitSignal !== undefined)
    return signalPanel(ctx, b.waitSignal);
  if (info.status === "blocked" && b?.timerAt !== undefined)
    return timerPanel(b.timerAt, ctx.sleepStartedAt);
  if (info.status === "blocked" && b?.retryAt !== undefined) {
    return waitPanel(
      "retry",
      "Retrying soon",
      `The last attempt failed; the next one starts at ${formatClock(b.retryAt)}.`,
      b.retryAt,
    );
  }
  if (info.status === "running") {
    return {
      el: panel(
        "running",
        "retry",
        "Working",
        h(
          "p",
          {},
          "The run is advancing in this browser. New events appear below as they are recorded.",
        ),
      ),
    };
  }
  if (info.status === "completed") return resultPanel(info.output);
  if (info.status === "failed") {
    return {
      el: panel(
        "failed",
        "x",
        "The run failed",
        h("p", { class: "error-text" }, info.error?.message ?? "unknown error"),
        info.error?.kind ? h("p", { class: "muted" }, `Kind: ${info.error.kind}`) : null,
      ),
    };
  }
  if (info.status === "cancelled") {
    return {
      el: panel(
        "cancelled",
        "ban",
        "Cancelled",
        h("p", {}, info.error?.message ?? "The run was cancelled."),
      ),
    };
  }
  return undefined;
}

function panel(
  tone: string,
  iconName: Parameters<typeof icon>[0],
  title: string,
  ...body: (Node | null)[]
): HTMLElement {
  return h(
    "section",
    { class: `attention attention-${tone}`, "aria-live": "polite", "data-panel": tone },
    h("div", { class: "attention-icon" }, icon(iconName)),
    h("div", { class: "attention-body" }, h("h2", {}, title), ...body),
  );
}

/** Runs `work` with the buttons disabled, and says what went wrong if it failed. */
async function act(
  buttons: HTMLButtonElement[],
  work: () => Promise<unknown>,
  done?: string,
): Promise<void> {
  for (const b of buttons) b.disabled = true;
  try {
    await work();
    if (done) toast(done, "success");
  } catch (error) {
    toast(messageOf(error), "error");
    for (const b of buttons) b.disabled = false;
  }
}

function interruptPanel(ctx: PanelContext, interruptId: string, value: Json): Panel {
  const v = (value && typeof value === "object" && !Array.isArray(value) ? value : {}) as Record<
    string,
    Json
  >;
  const resume = (answer: Json) => ctx.host.resume(ctx.info.runId, answer, { interruptId });
  if (v.kind === "approval" && typeof v.tool === "string") return approvalPanel(v, resume);
  const approve = h(
    "button",
    { class: "btn btn-approve", type: "button", "data-action": "approve" },
    icon("check"),
    "Approve",
  );
  const deny = h(
    "button",
    { class: "btn btn-deny", type: "button", "data-action": "deny" },
    icon("x"),
    "Deny",
  );
  const buttons = [approve, deny];
  approve.onclick = () => void act(buttons, () => resume({ approved: true }), "Approved");
  deny.onclick = () => void act(buttons, () => resume({ approved: false }), "Denied");
  const question =
    typeof v.question === "string" ? v.question : "The run is waiting for your answer.";
  const draft =
    v.draft !== undefined ? v.draft : typeof v.question === "string" ? undefined : value;
  const custom = h("textarea", {
    class: "input mono",
    rows: 3,
    spellcheck: "false",
    "aria-label": "Answer (JSON)",
  });
  custom.value = '{ "approved": true }';
  const send = h(
    "button",
    { class: "btn btn-small", type: "button" },
    icon("send"),
    "Send this answer",
  );
  send.onclick = () => {
    let answer: Json;
    try {
      answer = parseJson(custom.value);
    } catch (error) {
      toast(messageOf(error), "error");
      return;
    }
    void act([...buttons, send], () => resume(answer), "Answer sent");
  };
  return {
    el: panel(
      "blocked",
      "hand",
      "Waiting for your decision",
      h("p", { class: "question" }, question),
      draft !== undefined
        ? h(
            "div",
            { class: "draft" },
            h("span", { class: "field-label" }, "Draft"),
            draftView(draft),
          )
        : null,
      h("div", { class: "attention-actions" }, approve, deny),
      h(
        "details",
        { class: "custom-answer" },
        h("summary", {}, "Answer with other JSON"),
        custom,
        send,
      ),
    ),
  };
}

function draftView(draft: Json): HTMLElement {
  const text = (draft as { text?: unknown } | null)?.text;
  if (typeof text === "string") return h("blockquote", {}, text);
  return h("pre", { class: "json" }, pretty(draft));
}

function approvalPanel(v: Record<string, Json>, resume: (answer: Json) => Promise<unknown>): Panel {
  const args = v.arguments ?? null;
  const view = argumentsView(args);
  const editor = h("textarea", {
    class: "input mono args-editor",
    rows: 8,
    spellcheck: "false",
    hidden: true,
    "aria-label": "Tool arguments (JSON)",
  });
  editor.value = pretty(args);
  const approveLabel = h("span", {}, "Approve");
  const editLabel = h("span", {}, "Edit arguments");
  const approve = h(
    "button",
    { class: "btn btn-approve", type: "button", "data-action": "approve" },
    icon("check"),
    approveLabel,
  );
  const deny = h(
    "button",
    { class: "btn btn-deny", type: "button", "data-action": "deny" },
    icon("x"),
    "Deny",
  );
  const edit = h(
    "button",
    { class: "btn btn-ghost", type: "button", "data-action": "edit" },
    icon("edit"),
    editLabel,
  );
  const buttons = [approve, deny, edit];
  let editing = false;
  edit.onclick = () => {
    editing = !editing;
    editor.hidden = !editing;
    view.hidden = editing;
    approveLabel.textContent = editing ? "Approve with edits" : "Approve";
    editLabel.textContent = editing ? "Discard edits" : "Edit arguments";
    if (editing) editor.focus();
    else editor.value = pretty(args);
  };
  approve.onclick = () => {
    let answer: Json = { approved: true };
    if (editing) {
      try {
        answer = { approved: true, arguments: parseJson(editor.value) };
      } catch (error) {
        toast(messageOf(error), "error");
        return;
      }
    }
    void act(buttons, () => resume(answer), editing ? "Approved with your edits" : "Approved");
  };
  deny.onclick = () =>
    void act(buttons, () => resume({ approved: false, reason: "denied by the user" }), "Denied");
  return {
    el: panel(
      "blocked",
      "hand",
      "Approval needed",
      h(
        "p",
        { class: "question" },
        "The agent wants to call ",
        h("code", { class: "tool-name" }, String(v.tool)),
        " with these arguments.",
      ),
      h("div", { class: "draft" }, h("span", { class: "field-label" }, "Arguments"), view, editor),
      h("div", { class: "attention-actions" }, approve, deny, edit),
    ),
  };
}

/** Arguments as name and value rows when they are flat, else as JSON. */
function argumentsView(args: Json): HTMLElement {
  if (args && typeof args === "object" && !Array.isArray(args)) {
    const entries = Object.entries(args);
    if (entries.length > 0 && entries.every(([, v]) => v === null || typeof v !== "object")) {
      return h(
        "dl",
        { class: "args", "data-role": "arguments" },
        entries.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))]),
      );
    }
  }
  return h("pre", { class: "json args", "data-role": "arguments" }, pretty(args));
}

function signalPanel(ctx: PanelContext, name: string): Panel {
  const value = h("input", {
    class: "input mono",
    type: "text",
    value: '"hello"',
    "aria-label": "Signal value (JSON)",
    "data-role": "signal-value",
  });
  const send = h(
    "button",
    { class: "btn btn-primary", type: "button", "data-action": "send-signal" },
    icon("send"),
    `Send “${name}”`,
  );
  send.onclick = () => {
    let parsed: Json;
    try {
      parsed = parseJson(value.value);
    } catch (error) {
      toast(messageOf(error), "error");
      return;
    }
    void act([send], () => ctx.host.signal(ctx.info.runId, name, parsed), `Signal “${name}” sent`);
  };
  return {
    el: panel(
      "blocked",
      "radio",
      `Waiting for signal “${name}”`,
      h(
        "p",
        {},
        "The run continues when a signal of this name arrives. Its value becomes the step's result.",
      ),
      h(
        "div",
        { class: "inline-form" },
        h("label", { class: "field-label" }, "Value (JSON)"),
        value,
        send,
      ),
    ),
  };
}

function timerPanel(timerAt: number, startedAt: number | undefined): Panel {
  return waitPanel(
    "timer",
    "Sleeping",
    `Wakes at ${formatClock(timerAt)}. The sleep is durable: close this tab and it still wakes when you come back.`,
    timerAt,
    startedAt,
  );
}

function waitPanel(
  kind: string,
  title: string,
  text: string,
  at: number,
  startedAt?: number,
): Panel {
  const remaining = h("strong", { class: "countdown" });
  const bar = h("div", { class: "progress-bar" });
  const el = panel(
    "waiting",
    kind === "retry" ? "retry" : "clock",
    title,
    h("p", {}, text),
    h("p", { class: "countdown-line" }, remaining),
    startedAt !== undefined ? h("div", { class: "progress" }, bar) : null,
  );
  const tick = () => {
    const left = at - Date.now();
    remaining.textContent = left > 0 ? `${formatDuration(left)} left` : "Waking up…";
    if (startedAt !== undefined) {
      const total = Math.max(1, at - startedAt);
      bar.style.width = `${Math.min(100, Math.max(0, (100 * (Date.now() - startedAt)) / total))}%`;
    }
  };
  tick();
  return { el, tick };
}

function resultPanel(output: Json | undefined): Panel {
  const o = output as
    | { answer?: unknown; stoppedBy?: unknown; approved?: unknown; text?: unknown }
    | null
    | undefined;
  let body: HTMLElement;
  if (o && typeof o === "object" && typeof o.answer === "string") {
    body = h("blockquote", { class: "answer" }, o.answer);
  } else if (o && typeof o === "object" && typeof o.approved === "boolean") {
    body = h(
      "p",
      {},
      o.approved ? "Approved: " : "Denied: ",
      h("span", { class: "muted" }, preview(o.text ?? "", 200)),
    );
  } else {
    body = h("pre", { class: "json" }, output === undefined ? "(no output)" : pretty(output));
  }
  return { el: panel("completed", "flag", "Completed", body) };
}
