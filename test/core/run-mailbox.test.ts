// The run's mailbox: commands sent together are applied as one batch (one lock, one load, one
// commit); signals that come while the run is being driven ride along in the drive's commits;
// refusals stay with their sender; the host's ports pin ids and keep one writer per run.

import {
  type ActionExecutor,
  countingIds,
  createHost,
  MemoryRunStore,
  type RunLock,
  type SequencedEvent,
  workflow,
} from "runlog";
import type { AppendOptions } from "runlog/store-kit";
import { describe, expect, it } from "vitest";

/** A memory store that counts its appends (commits) and the events in each. */
class CountingStore extends MemoryRunStore {
  readonly commits: string[][] = [];
  override async append(
    runId: string,
    events: SequencedEvent[],
    options: AppendOptions,
  ): Promise<void> {
    await super.append(runId, events, options);
    this.commits.push(events.map((e) => e.event.type));
  }
}

/** `n` quick tool calls, then a wait for signal `go`. */
const steps = workflow("mailbox.steps", 1, function* (ctx, input: { n: number }) {
  let sum = 0;
  for (let i = 0; i < input.n; i++) sum += (yield* ctx.tool("inc", { i })) as number;
  const go = yield* ctx.waitSignal("go");
  return { sum, go };
});

/** Answers after a macrotask, so that signals sent meanwhile arrive during the drive. */
const slowInc: ActionExecutor = {
  execute: async (_runId, action) => {
    await new Promise((r) => setTimeout(r, 1));
    const input = action.type === "callTool" ? (action.input as { i: number }) : { i: 0 };
    return { type: "success", output: input.i };
  },
};

const types = (events: readonly SequencedEvent[]) => events.map((e) => e.event.type);

describe("the run's mailbox", () => {
  it("records a burst of signals to a waiting run in one commit, once each", async () => {
    const store = new CountingStore();
    const host = createHost({ store, workflows: [steps], executor: slowInc });
    await host.start("mailbox.steps", { n: 0 }, { runId: "burst", wait: true });
    const before = store.commits.length;
    const sent = Array.from({ length: 10 }, (_, i) =>
      host.signal("burst", `other-${i}`, i, { signalId: `b${i}` }),
    );
    await Promise.all(sent);
    await host.idle("burst");
    const batches = store.commits.slice(before);
    expect(batches).toEqual([Array(10).fill("SignalReceived")]);
    await host.close();
  });

  it("lets signals sent during a drive ride along in its commits: no commit of their own", async () => {
    const plain = new CountingStore();
    const a = createHost({ store: plain, workflows: [steps], executor: slowInc });
    await a.start("mailbox.steps", { n: 20 }, { runId: "quiet", wait: true });
    const quietCommits = plain.commits.length;

    const busy = new CountingStore();
    const b = createHost({ store: busy, workflows: [steps], executor: slowInc });
    await b.start("mailbox.steps", { n: 20 }, { runId: "busy" });
    // Sent while the drive is between its steps: each joins the drive's next commit.
    const answers: Promise<unknown>[] = [];
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 2));
      answers.push(b.signal("busy", `side-${i}`, i, { signalId: `x${i}` }));
    }
    await Promise.all(answers);
    await b.idle("busy");
    const { events } = await b.events("busy");
    expect(types(events).filter((t) => t === "SignalReceived")).toHaveLength(8);
    // The same number of commits as the run without signals, though eight more events.
    expect(busy.commits.length).toBe(quietCommits);
    expect(busy.commits.some((c) => c.length > 1 && c.includes("SignalReceived"))).toBe(true);
    expect((await b.verify("busy")).ok).toBe(true);
    await a.close();
    await b.close();
  });

  it("answers each sender of a batch alone: a refused resume does not undo the signals beside it", async () => {
    const store = new CountingStore();
    const host = createHost({ store, workflows: [steps], executor: slowInc });
    await host.start("mailbox.steps", { n: 0 }, { runId: "mixed", wait: true });
    const before = store.commits.length;
    const [s1, r, s2] = await Promise.allSettled([
      host.signal("mixed", "a", 1, { signalId: "m1" }),
      host.resume("mixed", true),
      host.signal("mixed", "b", 2, { signalId: "m2" }),
    ]);
    expect(s1.status).toBe("fulfilled");
    expect(s2.status).toBe("fulfilled");
    expect(r.status).toBe("rejected");
    expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "not_blocked" });
    expect(store.commits.slice(before)).toEqual([["SignalReceived", "SignalReceived"]]);
    await host.close();
  });

  it("holds the lock port once per batch, and makes ids from the id port", async () => {
    const holds: string[] = [];
    const lock: RunLock = {
      hold: (runId, work) => {
        holds.push(runId);
        return work();
      },
    };
    const host = createHost({
      store: new MemoryRunStore(),
      workflows: [steps],
      executor: slowInc,
      lock,
      ids: countingIds("t"),
    });
    const started = await host.start("mailbox.steps", { n: 0 }, { wait: true });
    expect(started.runId).toBe("t-1");
    const held = holds.length;
    await Promise.all([
      host.signal("t-1", "go", "now"),
      host.signal("t-1", "other", 1),
      host.signal("t-1", "other", 2),
    ]);
    await host.idle("t-1");
    // One batch for the three signals (their drive included): one hold.
    expect(holds.length - held).toBe(1);
    const { events } = await host.events("t-1");
    const ids = events.flatMap((e) =>
      e.event.type === "SignalReceived" ? [e.event.signalId] : [],
    );
    expect(ids).toEqual(["t-2", "t-3", "t-4"]);
    expect((await host.get("t-1")).status).toBe("completed");
    await host.close();
  });
});
