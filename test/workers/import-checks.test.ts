// In a Durable Object as on Node: an import is checked against its workflow's code before the
// object runs anything in it, and a log that does not verify is refused with nothing written.
import { env } from "cloudflare:workers";
import {
  createMemoryHost,
  parseExport,
  RunNotFoundError,
  type SequencedEvent,
  ValidationError,
} from "runlog";
import { approvalDemo, demoExecutor } from "runlog/demos";
import { canonicalJson, hashEvents } from "runlog/store-kit";
import { describe, expect, it } from "vitest";
import { createWorkerRunHost } from "../../adapters/cloudflare/index.ts";

let runs = 0;
const newRunId = (what: string) => `${what}-${Date.now()}-${runs++}`;

/** The export with its events replaced and its hash recomputed: only the log's checks can tell. */
async function resign(text: string, events: SequencedEvent[]): Promise<string> {
  const { header } = await parseExport(text);
  const hash = await hashEvents(events);
  const lines = [canonicalJson({ ...header, head: events.length, hash })];
  for (const se of events) lines.push(canonicalJson(se));
  return `${lines.join("\n")}\n`;
}

describe("RunObject: imports checked against the workflow", () => {
  it("refuses a re-signed log with a pending publish its workflow never asked for", {
    timeout: 60_000,
  }, async () => {
    const runId = newRunId("forged");
    const memory = createMemoryHost({ workflows: [approvalDemo], executor: demoExecutor() });
    await memory.start("demo.approval", { text: "x" }, { runId, wait: true });
    const text = await memory.exportRun(runId);
    const { events } = await parseExport(text);
    const first = events[0] as SequencedEvent;
    const forged = await resign(text, [
      first,
      {
        seq: 2,
        ts: first.ts,
        event: {
          type: "ActionRequested",
          actionId: `${runId}:2`,
          action: { type: "callTool", tool: "publish", input: { title: "t", body: "b" } },
        },
      },
    ]);
    const host = createWorkerRunHost({
      runs: env.RUN_OBJECT,
      index: env.RUN_INDEX,
      workflows: [approvalDemo],
    });
    await expect(host.importRun(forged)).rejects.toSatisfy(
      (e: unknown) =>
        ValidationError.is(e) && /does not match workflow demo\.approval v1/.test(e.message),
    );
    await expect(host.get(runId)).rejects.toSatisfy(RunNotFoundError.is);
  });
});
