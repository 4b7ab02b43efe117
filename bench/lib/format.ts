import type { Summary } from "./stats.ts";

/** A duration in ms, in the unit that reads best (ns, µs, ms, s). */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms < 0.001) return `${(ms * 1e6).toFixed(0)} ns`;
  if (ms < 1) return `${(ms * 1e3).toFixed(ms < 0.01 ? 2 : 1)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A rate per second, with k/M suffixes. */
export function rate(perSecond: number, unit = "/s"): string {
  if (!Number.isFinite(perSecond)) return "n/a";
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M${unit}`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(perSecond >= 1e5 ? 0 : 1)} k${unit}`;
  return `${perSecond.toFixed(perSecond >= 100 ? 0 : 1)}${unit}`;
}

/** A byte count with KiB/MiB. */
export function bytes(n: number): string {
  if (!Number.isFinite(n)) return "n/a";
  const abs = Math.abs(n);
  if (abs >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (abs >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n.toFixed(0)} B`;
}

/** A ratio such as `123×`. */
export function times(ratio: number): string {
  if (!Number.isFinite(ratio)) return "n/a";
  return ratio >= 100
    ? `${ratio.toFixed(0)}×`
    : ratio >= 10
      ? `${ratio.toFixed(1)}×`
      : `${ratio.toFixed(2)}×`;
}

/** A count as 10³, 10⁶ when it is a power of ten, else with thousands separators. */
export function count(n: number): string {
  const exp = Math.log10(n);
  if (n >= 1000 && Number.isInteger(exp)) return `10${superscript(exp)}`;
  return n.toLocaleString("en-US");
}

function superscript(n: number): string {
  const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  return String(n)
    .split("")
    .map((d) => digits[Number(d)])
    .join("");
}

/** `min / median / max` of a summary, each through `fmt`. */
export function spread(s: Summary, fmt: (v: number) => string): string {
  return `${fmt(s.min)} / **${fmt(s.median)}** / ${fmt(s.max)}`;
}

/** A Markdown table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Whether a target is met, as a mark for the tables. */
export function verdict(met: boolean | undefined): string {
  return met === undefined ? "—" : met ? "met" : "**missed**";
}
