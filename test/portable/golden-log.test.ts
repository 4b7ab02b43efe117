// The golden log replays to the same state and hash in node, in real Chromium and in workerd.

import { importRun, Kernel, MemoryEventStore, parseExport, ValidationError } from "runlog";
import { hashEvents } from "runlog/store-kit";
import { describe, expect, it } from "vitest";
import golden from "../fixtures/golden-approval.ndjson?raw";
import { goldenInitial, goldenReducer, goldenStep } from "../support/golden-workflow.ts";

// Pinned once when the fixture was made: canonical JSON and SHA-256 must give these bytes everywhere.
const GOLDEN_HASH = "4df6a9065e1160cdba14cfb564e098e1db65db72302e95be776d701edc6b7cff";

const neverExecute = {
  execute: () => {
    throw new Error("replay and verify must never execute");
  },
};

describe("the golden NDJSON log", () => {
  it("hashes to the pinned SHA-256 over canonical JSON", async () => {
    const { header, events } = await parseExport(golden);
    expect(header.hash).toBe(GOLDEN_HASH);
    expect(await hashEvents(events)).toBe(GOLDEN_HASH);
  });

  it("imports, replays to the recorded state and verifies without executing anything", async () => {
    const store = new MemoryEventStore();
    const imported = await importRun(store, golden);
    expect(imported).toEqual({ runId: "golden-1", head: 7, hash: GOLDEN_HASH });
    const kernel = new Kernel({
      events: store,
      reducer: goldenReducer,
      step: goldenStep,
      executor: neverExecute,
    });
    const state = await kernel.replay("golden-1", goldenInitial);
    expect(state).toEqual({
      text: "ship the release notes",
      echoed: { echoed: { text: "ship the release notes" }, note: "✓ ünïcode" },
      pick: 424,
      answer: { approved: true, by: "ops@example.com" },
    });
    const report = await kernel.verify("golden-1", goldenInitial);
    expect(report).toMatchObject({ ok: true, hash: GOLDEN_HASH, decisions: 4 });
    expect(report.status).toEqual({
      type: "completed",
      output: { approved: true, text: "ship the release notes" },
    });
  });

  it("changes its hash when one byte changes, and the import refuses it", async () => {
    const tampered = golden.replace('"pick":424', '"pick":425');
    expect(tampered).not.toBe(golden);
    const { events } = await parseExport(golden);
    const changed = tampered
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((l: string) => JSON.parse(l));
    expect(await hashEvents(changed)).not.toBe(GOLDEN_HASH);
    const store = new MemoryEventStore();
    await expect(importRun(store, tampered)).rejects.toSatisfy((e: unknown) =>
      ValidationError.is(e),
    );
    expect(await store.head("golden-1")).toBe(0);
    expect(events).toHaveLength(7);
  });
});
