import type { Json } from "../json.ts";
import { s } from "../tools/schema.ts";
import { defineTool, ToolRegistry } from "../tools/tool-registry.ts";

/** `echo {text}` → `{text}`: the tool `demo.approval` calls. */
export const echoTool = defineTool({
  name: "echo",
  description: "Returns the text it is given.",
  input: s.object({ text: s.string({ max: 100_000 }) }),
  handler: ({ text }) => ({ text }),
});

/** `search {query}` → three made-up, deterministic findings about the query. */
export const searchTool = defineTool({
  name: "search",
  description: "Searches the team's notes and returns the top findings.",
  input: s.object({ query: s.string({ min: 1, max: 1_000 }) }),
  handler: ({ query }): Json => ({
    query,
    results: [
      `${query}: the most recent note says it is on track`,
      `${query}: two open questions remain`,
      `${query}: the owner asked for a written summary`,
    ],
  }),
});

/** `publish {title, body}` → `{published, id}`; needs a human's approval first. */
export const publishTool = defineTool({
  name: "publish",
  description: "Publishes a note for the whole team. Needs approval.",
  input: s.object({ title: s.string({ min: 1, max: 200 }), body: s.string({ max: 20_000 }) }),
  needsApproval: true,
  handler: ({ title }, ctx) => ({ published: true, id: `note-${ctx.actionId}`, title }),
});

/** A registry with the demo tools. */
export function demoTools(): ToolRegistry {
  return new ToolRegistry([echoTool, searchTool, publishTool] as never[]);
}
