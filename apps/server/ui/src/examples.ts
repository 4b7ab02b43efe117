// A sensible first input for each demo workflow, so "Start run" works with one click.

const EXAMPLES: Record<string, unknown> = {
  "demo.approval": { text: "Ship the Q3 release notes to the whole team" },
  "demo.sleep": { ms: 5000 },
  "demo.signal": { name: "go" },
  "demo.agent": { task: "Summarize where the launch stands and publish a note for the team" },
};

/** The example input for a workflow, as indented JSON. */
export function exampleInput(workflow: string): string {
  return JSON.stringify(EXAMPLES[workflow] ?? {}, null, 2);
}
