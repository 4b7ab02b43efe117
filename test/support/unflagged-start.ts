// Starts a run the way a runlog from before behaviour flags did: its RunStarted holds no `format`
// and no `flags`. Today's host then drives it like any run it finds in its store (a run started
// before an upgrade and continued after it), deciding the old way wherever a flag is missing.
import type { Host, Json, SequencedEvent } from "runlog";
import { metaOf, summarize } from "runlog/store-kit";

export async function startUnflagged(
  host: Host,
  workflow: { name: string; version: number },
  input: Json,
  runId: string,
): Promise<void> {
  const now = host.clock.now();
  const batch: SequencedEvent[] = [
    {
      seq: 1,
      ts: now,
      event: { type: "RunStarted", workflow: workflow.name, input, version: workflow.version },
    },
  ];
  await host.store.append(runId, batch, {
    expectedHead: 0,
    summary: summarize(runId, metaOf(batch), now),
  });
  await host.wake(runId);
  await host.idle(runId);
}
