// The interrupt a run waits on, as a card that asks for a decision: the question, the draft or the
// tool call, Approve and Deny (and, for an agent's tool call, its arguments to edit first).

import { h } from "../../../ui-kit/dom.ts";
import { api } from "./api.ts";
import { icon } from "./icons.ts";
import { jsonInput } from "./json-input.ts";
import { jsonView } from "./json-view.ts";
import { toast, toastError } from "./toast.ts";

type Value = Record<string, unknown>;

/** A card for interrupt `interrupt` of run `runId`; `onAnswered` runs after a resume went through. */
export function interruptCard(
  runId: string,
  interrupt: { id: string; value: unknown },
  onAnswered: () => void,
): HTMLElement {
  const v: Value =
    interrupt.value && typeof interrupt.value === "object" ? (interrupt.value as Value) : {};
  const isAgentApproval = v.kind === "approval" && typeof v.tool === "string";
  const question =
    typeof v.question === "string" ? v.question : "This run is waiting for a response.";
  const body: (Node | null)[] = [];

  if (isAgentApproval) {
    body.push(
      h(
        "div",
        { class: "ic-section" },
        h(
          "div",
          { class: "ic-label" },
          "Tool call",
          h("span", { class: "chip chip-mono" }, String(v.tool)),
        ),
        jsonView(v.arguments, { copy: true, label: "tool arguments" }),
      ),
    );
  } else if ("draft" in v) {
    const draft = v.draft as Value | string | null;
    const text =
      typeof draft === "string" ? draft : typeof draft?.text === "string" ? draft.text : undefined;
    body.push(
      h(
        "div",
        { class: "ic-section" },
        h("div", { class: "ic-label" }, "Draft"),
        text === undefined
          ? jsonView(draft, { copy: true, label: "draft" })
          : h("blockquote", { class: "ic-draft" }, text),
      ),
    );
  } else if (typeof v.question !== "string") {
    body.push(
      h(
        "div",
        { class: "ic-section" },
        h("div", { class: "ic-label" }, "Value"),
        jsonView(interrupt.value, { copy: true }),
      ),
    );
  }

  // Agent approvals: approve with edited arguments, or deny with a reason the agent reads.
  const editor = isAgentApproval
    ? jsonInput({
        id: `args-${interrupt.id}`,
        label: "Arguments to run the tool with",
        value: JSON.stringify(v.arguments ?? null, null, 2),
        rows: 6,
      })
    : undefined;
  const editWrap = editor ? h("div", { class: "ic-edit", hidden: true }, editor.el) : null;
  const reason = isAgentApproval
    ? h("input", {
        class: "input",
        id: `reason-${interrupt.id}`,
        placeholder: "Optional: why, for the agent",
        maxlength: 1000,
      })
    : undefined;
  // Other interrupts: any JSON answer.
  const custom =
    !isAgentApproval && !("draft" in v)
      ? jsonInput({
          id: `answer-${interrupt.id}`,
          label: "Or answer with JSON",
          value: '{\n  "approved": true\n}',
          rows: 4,
        })
      : undefined;

  const approve = h(
    "button",
    { type: "button", class: "btn btn-success" },
    icon("check", 16),
    "Approve",
  );
  const deny = h(
    "button",
    { type: "button", class: "btn btn-danger-outline" },
    icon("x", 16),
    "Deny",
  );
  const edit = editWrap
    ? h(
        "button",
        { type: "button", class: "btn btn-ghost", "aria-expanded": "false" },
        icon("edit", 14),
        "Edit arguments",
      )
    : null;
  const sendCustom = custom
    ? h("button", { type: "button", class: "btn" }, icon("send", 14), "Send answer")
    : null;
  const buttons = [approve, deny, sendCustom].filter((b): b is HTMLButtonElement => b !== null);

  edit?.addEventListener("click", () => {
    if (!editWrap) return;
    editWrap.hidden = !editWrap.hidden;
    edit.setAttribute("aria-expanded", String(!editWrap.hidden));
    if (!editWrap.hidden) editor?.textarea.focus();
  });

  const send = async (value: unknown) => {
    for (const b of buttons) b.disabled = true;
    try {
      await api.resume(runId, value, interrupt.id);
      onAnswered();
    } catch (error) {
      toastError(error, "Could not resume");
      for (const b of buttons) b.disabled = false;
    }
  };

  approve.addEventListener("click", () => {
    if (!isAgentApproval) return void send({ approved: true });
    const answer: Value = { approved: true };
    if (editWrap && !editWrap.hidden && editor) {
      try {
        answer.arguments = editor.read();
      } catch {
        toast("The edited arguments are not valid JSON", "error");
        editor.textarea.focus();
        return;
      }
    }
    void send(answer);
  });
  deny.addEventListener("click", () => {
    const answer: Value = { approved: false };
    const why = reason?.value.trim();
    if (why) answer.reason = why;
    void send(answer);
  });
  sendCustom?.addEventListener("click", () => {
    try {
      void send(custom?.read() ?? null);
    } catch {
      toast("The answer is not valid JSON", "error");
    }
  });

  return h(
    "section",
    {
      class: "interrupt-card",
      "aria-labelledby": `ic-title-${interrupt.id}`,
      "data-interrupt-id": interrupt.id,
    },
    h(
      "div",
      { class: "ic-head" },
      h("span", { class: "ic-icon", "aria-hidden": "true" }, icon("hand", 18)),
      h(
        "div",
        {},
        h(
          "p",
          { class: "ic-eyebrow" },
          isAgentApproval
            ? "Approval needed · the agent wants to run a tool"
            : "Waiting for your decision",
        ),
        h("h2", { class: "ic-question", id: `ic-title-${interrupt.id}` }, question),
      ),
    ),
    ...body,
    editWrap,
    reason
      ? h(
          "div",
          { class: "field ic-reason" },
          h("label", { class: "field-label", for: reason.id }, "Reason"),
          reason,
        )
      : null,
    custom ? h("div", { class: "ic-section" }, custom.el) : null,
    h(
      "div",
      { class: "ic-actions" },
      approve,
      deny,
      edit,
      sendCustom,
      h("span", { class: "ic-id mono", title: "Interrupt id" }, interrupt.id),
    ),
  );
}
