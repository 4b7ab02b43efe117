// An agent run started before behaviour flags, on SQLite, verifies in place: the store keeps the
// tool output's keys in the order the tool wrote them, and the run's RunStarted (no flags) keeps
// the agent on the JSON.stringify text it was recorded with. The same rows read as a run with the
// flag diverge, which is what every such run did before the flag existed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { BehaviourFlag } from "runlog";
import { agentDemo } from "runlog/demos";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeHost } from "../../adapters/node/index.ts";
import { lastToolText } from "../support/agent-tool-text.ts";
import { startUnflagged } from "../support/unflagged-start.ts";

const dir = mkdtempSync(join(tmpdir(), "runlog-flags-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an agent run started before behaviour flags, on SQLite", () => {
  it("completes with the old tool text and verifies in place; read with the flag it diverges", async () => {
    const path = join(dir, "agent.db");
    const host = await createNodeHost({ path, demos: true, foreignPollMs: 0 });
    await startUnflagged(host, agentDemo, { task: "durable timers" }, "old-agent");
    await host.resume("old-agent", { approved: true });
    await host.idle("old-agent");
    expect(await host.get("old-agent")).toMatchObject({ status: "completed" });
    // publish answers {published, id, title}: JSON.stringify keeps that order.
    expect(lastToolText((await host.events("old-agent")).events, "publish")).toMatch(
      /^\{"published":true,"id":/,
    );
    const report = await host.verify("old-agent");
    expect(report).toMatchObject({ ok: true });
    await host.close();

    const db = new Database(path);
    const row = db
      .prepare("SELECT body FROM events WHERE run_id = ? AND seq = 1")
      .get("old-agent") as { body: string };
    const started = JSON.parse(row.body);
    expect(started.flags).toBeUndefined();
    started.flags = [BehaviourFlag.AgentCanonicalToolText];
    db.prepare("UPDATE events SET body = ? WHERE run_id = ? AND seq = 1").run(
      JSON.stringify(started),
      "old-agent",
    );
    db.close();

    const flagged = await createNodeHost({ path, demos: true, recover: false, foreignPollMs: 0 });
    const diverged = await flagged.verify("old-agent");
    expect(diverged.ok).toBe(false);
    expect(diverged.message).toMatch(/nondeterminism at seq \d+/);
    await flagged.close();
  });
});
