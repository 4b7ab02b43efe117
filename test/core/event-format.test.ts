// Each new run records the event format it was written in; logs without one (written before it
// was recorded: the golden corpus holds such logs) and of any format up to this one are read;
// one of a newer format, or a malformed one, is refused on import with nothing written.

import { createHost, createMemoryHost, EVENT_FORMAT, MemoryRunStore } from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";
import { ManualClock } from "runlog/testing";
import { describe, expect, it } from "vitest";
import { approvalExport } from "../support/import-cases.ts";
import { resign } from "../support/ndjson-mutations.ts";

const START = 1_767_225_600_000; // 2026-01-01: in the past of any host that imports it

const withFormat = (text: string, format: unknown) =>
  resign(text, (events) =>
    events.map((e, i) => {
      if (i > 0) return e;
      const event = { ...(e.event as Record<string, unknown>) };
      if (format === undefined) delete event.format;
      else event.format = format;
      return { ...e, event };
    }),
  );

describe("the event format in RunStarted", () => {
  it("is recorded by every new run, and the export carries it", async () => {
    expect(EVENT_FORMAT).toBe(1);
    const text = await approvalExport(new MemoryRunStore(), new ManualClock(START));
    const first = JSON.parse(text.split("\n")[1] as string);
    expect(first.event).toMatchObject({ type: "RunStarted", format: 1 });
  });

  it("reads logs without a format and of this format: both import and verify", async () => {
    const text = await approvalExport(new MemoryRunStore(), new ManualClock(START));
    for (const log of [text, await withFormat(text, undefined)]) {
      const host = createMemoryHost({ workflows: demoWorkflows, executor: demoExecutor() });
      const { runId } = await host.importRun(log);
      expect((await host.verify(runId)).ok).toBe(true);
      await host.resume(runId, { approved: true });
      await host.idle(runId);
      expect(await host.get(runId)).toMatchObject({ status: "completed" });
      await host.close();
    }
  });

  it.each([
    [2, /RunStarted\.format 2 is newer than this runlog reads \(up to 1\)/],
    [0, /RunStarted\.format must be a whole number >= 1/],
    ["1", /RunStarted\.format must be a whole number >= 1/],
    [1.5, /RunStarted\.format must be a whole number >= 1/],
  ])("refuses format %j on import, writing nothing", async (format, message) => {
    const text = await withFormat(
      await approvalExport(new MemoryRunStore(), new ManualClock(START)),
      format,
    );
    const store = new MemoryRunStore();
    const host = createHost({ store, workflows: demoWorkflows, executor: demoExecutor() });
    await expect(host.importRun(text)).rejects.toThrow(message);
    expect(await store.head("src")).toBe(0);
    await expect(host.get("src")).rejects.toThrow();
    await host.close();
  });
});
