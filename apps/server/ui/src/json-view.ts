// A JSON viewer: syntax colours, collapsible objects and arrays, and a copy button.
import { h } from "../../../ui-kit/dom.ts";
import { icon } from "./icons.ts";
import { copyText } from "./toast.ts";

const AUTO_COLLAPSE_DEPTH = 3;
const AUTO_COLLAPSE_SIZE = 12;

/** A viewer for `value`, with a copy button when `copy` is set. */
export function jsonView(
  value: unknown,
  options: { copy?: boolean; label?: string } = {},
): HTMLElement {
  const code = h("div", { class: "json", role: "group", "aria-label": options.label ?? "JSON" });
  code.append(renderValue(value, 0, true));
  if (!options.copy) return h("div", { class: "json-box" }, code);
  const copy = h(
    "button",
    {
      type: "button",
      class: "icon-btn json-copy",
      "aria-label": `Copy ${options.label ?? "JSON"}`,
      title: "Copy",
      onclick: () => copyText(JSON.stringify(value, null, 2), "JSON copied"),
    },
    icon("copy", 14),
  );
  return h("div", { class: "json-box" }, copy, code);
}

function renderValue(value: unknown, depth: number, last: boolean): Node {
  const comma = last ? null : h("span", { class: "j-punct" }, ",");
  if (value === null || typeof value !== "object") {
    return h("span", {}, scalar(value), comma);
  }
  const isArray = Array.isArray(value);
  const entries: [string | undefined, unknown][] = isArray
    ? value.map((v) => [undefined, v])
    : Object.entries(value as Record<string, unknown>);
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) {
    return h("span", {}, h("span", { class: "j-punct" }, `${open}${close}`), comma);
  }
  const collapsed =
    depth >= AUTO_COLLAPSE_DEPTH || (depth > 0 && entries.length > AUTO_COLLAPSE_SIZE);
  const count = isArray ? `${entries.length} items` : `${entries.length} keys`;
  const toggle = h(
    "button",
    {
      type: "button",
      class: "j-toggle",
      "aria-expanded": String(!collapsed),
      "aria-label": collapsed ? `Expand (${count})` : "Collapse",
    },
    icon("chevronDown", 12),
  );
  const body = h("div", { class: "j-body" });
  entries.forEach(([key, v], i) => {
    const line = h("div", { class: "j-line" });
    if (key !== undefined) {
      line.append(
        h("span", { class: "j-key" }, JSON.stringify(key)),
        h("span", { class: "j-punct" }, ": "),
      );
    }
    line.append(renderValue(v, depth + 1, i === entries.length - 1));
    body.append(line);
  });
  const summary = h("span", { class: "j-summary" }, count);
  const node = h(
    "span",
    { class: `j-node${collapsed ? " j-collapsed" : ""}` },
    toggle,
    h("span", { class: "j-punct" }, open),
    summary,
    body,
    h("span", { class: "j-punct j-close" }, close),
    comma,
  );
  const flip = () => {
    const nowCollapsed = node.classList.toggle("j-collapsed");
    toggle.setAttribute("aria-expanded", String(!nowCollapsed));
    toggle.setAttribute("aria-label", nowCollapsed ? `Expand (${count})` : "Collapse");
  };
  toggle.addEventListener("click", flip);
  summary.addEventListener("click", flip);
  return node;
}

function scalar(value: unknown): HTMLElement {
  if (typeof value === "string") return h("span", { class: "j-string" }, JSON.stringify(value));
  if (typeof value === "number") return h("span", { class: "j-number" }, String(value));
  if (typeof value === "boolean") return h("span", { class: "j-bool" }, String(value));
  return h("span", { class: "j-null" }, "null");
}
