// What the start form offers for each demo workflow: a friendly title and an example input.
import type { Json } from "runlog";
import { formatDuration } from "./format.ts";

interface Example {
  title: string;
  input: Json;
  /** The field shown as a multi-line text box. */
  long?: string;
}

const EXAMPLES: Record<string, Example> = {
  "demo.agent": {
    title: "Research agent",
    input: { task: "What did the team note about the Q3 launch? Publish a short summary." },
    long: "task",
  },
  "demo.approval": {
    title: "Human approval",
    input: { text: "Release notes for v2.4 are ready to ship." },
    long: "text",
  },
  "demo.sleep": { title: "Durable sleep", input: { ms: 5000 } },
  "demo.signal": { title: "Wait for a signal", input: { name: "go" } },
};

/** The example for a workflow, or an empty object for one the app does not know. */
export function exampleFor(workflow: string): Example {
  return EXAMPLES[workflow] ?? { title: workflow, input: {} };
}

/** Demos first, in the order above, then the rest by name. */
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
