// A release: build it, wait for someone to send the `go` signal, then ship it.
import { defineTool, s, workflow } from "runlog";

export const build = defineTool({
  name: "build",
  description: "Builds a service at a commit and answers the artifact's name.",
  input: s.object({ service: s.string(), commit: s.string() }),
  handler: ({ service, commit }) => ({ artifact: `${service}@${commit.slice(0, 7)}` }),
});

export const ship = defineTool({
  name: "ship",
  description: "Rolls an artifact out to a region.",
  input: s.object({ artifact: s.string(), region: s.string() }),
  handler: ({ artifact, region }) => ({ live: `${artifact} in ${region}` }),
});

export const release = workflow(
  "release",
  1,
  function* release(ctx, input: { service: string; commit: string }) {
    const { artifact } = yield* ctx.tool<{ artifact: string }>("build", input);
    const go = yield* ctx.waitSignal<{ region: string }>("go");
    const { live } = yield* ctx.tool<{ live: string }>("ship", { artifact, region: go.region });
    return { live };
  },
  { input: s.object({ service: s.string(), commit: s.string({ min: 7 }) }) },
);
