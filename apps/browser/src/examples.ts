// Reading the start form's examples (workflows.ts) and summarizing a run's input for lists.
import type { Json } from "runlog";
import { formatDuration } from "./format.ts";
import { examples as EXAMPLES, type Example } from "./workflows.ts";

/** The example for a workflow, or an empty object for one the app does not know. */
export function exampleFor(workflow: string): Example {
  return EXAMPLES[workflow] ?? { title: workflow, input: {} };
}

/** Workflows with an example first, in their order, then the rest by name. */
export function byExampleOrder(a: string, b: string): number {
  const order = Object.keys(EXAMPLES);
  const ia = order.indexOf(a);
  const ib = order.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
  return a.localeCompare(b);
}

/** A one-line summary of a run's input for lists. */
export function inputSummary(input: Json | undefined): string {
  if (input === null || input === undefined) return "";
  if (typeof input !== "object" || Array.isArray(input)) return JSON.stringify(input);
  const first = input.task ?? input.text ?? input.name;
  if (typeof first === "string") return first;
  if (typeof input.ms === "number") return `Sleep ${formatDuration(input.ms)}`;
  const text = JSON.stringify(input);
  return text === "{}" ? "" : text;
}
