// What the app runs: its workflows, the tools and LLM providers they call, and what the start form
// offers for each (a friendly title and an example input). The one place to change to make the
// app run other workflows.
import type { Json } from "runlog";
import { demoProvider, demoTools, demoWorkflows } from "runlog/demos";

/** The workflows the app starts and drives. */
export const workflows = demoWorkflows;

/** The tools `ctx.tool(...)` calls of those workflows reach. */
export const tools = demoTools();

/** The LLM providers their `ctx.llm(...)` calls name: the offline scripted one. */
export const providers = [demoProvider()];

/** What the start form shows for a workflow. */
export interface Example {
  title: string;
  input: Json;
  /** The field shown as a multi-line text box. */
  long?: string;
}

/** The start form's examples, in the order the app lists the workflows. */
export const examples: Record<string, Example> = {
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
