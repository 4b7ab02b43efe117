// Two hosts (two processes' worth: two connections, two kernels) on one SQLite file. The database's
// head check keeps one writer per run: the host that loses a race gets a ConcurrencyError, drops
// its copy, reloads, and goes on from what the winner wrote.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Action,
  type ActionExecutor,
  ConcurrencyError,
  createHost,
  type ExecuteContext,
  NotBlockedError,
  type RunPage,
  type RunQuery,
  type RunSummary,
  type SequencedEvent,
} from "runlog";
import { approvalDemo, sleepDemo } from "runlog/demos";
import { SqliteStore } from "runlog/node";
import type { AppendOptions, HostStore, Snapshot } from "runlog/store-kit";
import { ManualClock, manualWaker } from "runlog/testing";
import { afterAll, describe, expect, it } from "vitest";
import { logProblems } from "../../support/crash-harness.ts";

const dir = mkdtempSync(join(tmpdir(), "runlog-two-hosts-"));
const path = join(dir, "shared.db");
const opened: SqliteStore[] = [];
afterAll(() => {
  for (const s of opened) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A store whose calls can be held at gates, and which records what its appends met. */
class GatedStore implements HostStore {
  readonly inner: HostStore;
  readonly refusals: unknown[] = [];
  appends = 0;
  beforeAppend: (() => Promise<void>) | undefined;
  /** Called once the head has been read: by `head()`, or by reading the log to restore the run. */
  afterHead: (() => void) | undefined;
  afterAppend: (() => void) | undefined;
  constructor(inner: HostStore) {
    this.inner = inner;
  }
  async append(
    runId: string,
    events: readonly SequencedEvent[],
    options: AppendOptions,
  ): Promise<void> {
    const gate = this.beforeAppend;
    this.beforeAppend = undefined;
    await gate?.();
    try {
      await this.inner.append(runId, events, options);
      this.appends += 1;
    } catch (error) {
      this.refusals.push(error);
      throw error;
    }
    const after = this.afterAppend;
    this.afterAppend = undefined;
    after?.();
  }
  async head(runId: string): Promise<number> {
    const head = await this.inner.head(runId);
    this.#headRead();
    return head;
  }
  async read(runId: string, fromSeq?: number, limit?: number): Promise<SequencedEvent[]> {
    const events = await this.inner.read(runId, fromSeq, limit);
    // A host that holds no copy of a waiting run learns its head by restoring it: reading the
    // tail after its snapshot (not the first event, which only names the workflow).
    if (!(fromSeq === 1 && limit === 1)) this.#headRead();
    return events;
  }
  #headRead(): void {
    const after = this.afterHead;
    this.afterHead = undefined;
    after?.();
  }
  loadLatest(runId: string): Promise<Snapshot | undefined> {
    return this.inner.loadLatest(runId);
  }
  save(snapshot: Snapshot): Promise<void> {
    return this.inner.save(snapshot);
  }
  getRun(runId: string): Promise<RunSummary | undefined> {
    return this.inner.getRun(runId);
  }
  listRuns(query?: RunQuery): Promise<RunPage> {
    return this.inner.listRuns(query);
  }
  wakingRuns(limit?: number): Promise<RunSummary[]> {
    return this.inner.wakingRuns(limit);
  }
}

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

/** Records every execution; the echo tool answers after `gate` when one is set. */
class Echo implements ActionExecutor {
  readonly calls: { actionId: string; attempt: number }[] = [];
  gate: Promise<void> | undefined;
  constructor(readonly name: string) {}
  async execute(_runId: string, action: Action, ctx: ExecuteContext) {
    this.calls.push({ actionId: ctx.actionId, attempt: ctx.attempt });
    const gate = this.gate;
    this.gate = undefined;
    await gate;
    return {
      type: "success" as const,
      output: { ...(action as { input: object }).input, by: this.name },
    };
  }
}

function twoHosts(clock: ManualClock) {
  const make = (name: string) => {
    const sqlite = SqliteStore.open(path);
    opened.push(sqlite);
    const store = new GatedStore(sqlite);
    const errors: unknown[] = [];
    const executor = new Echo(name);
    const host = createHost({
      store,
      workflows: [approvalDemo, sleepDemo],
      executor,
      clock,
      waker: manualWaker,
      onError: (_runId, error) => errors.push(error),
    });
    return { host, store, errors, executor, sqlite };
  };
  return { a: make("a"), b: make("b") };
}

async function validLog(store: HostStore, runId: string): Promise<SequencedEvent[]> {
  const events = await store.read(runId, 1);
  expect(logProblems(runId, events)).toEqual([]);
  return events;
}

describe("two hosts on one SQLite file", () => {
  it("lets one host wake a due sleep; the other meets ConcurrencyError, reloads and agrees", async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const { a, b } = twoHosts(clock);
    const runId = "two-hosts-sleep";
    await a.host.start("demo.sleep", { ms: 1000 }, { runId, wait: true });
    // B restores the run too: it reads the same head when it is woken.
    await b.host.wake(runId);
    expect((await b.host.get(runId)).status).toBe("blocked");
    clock.advance(1000);
    // A commits only once B has read the head; B commits only after A did.
    const bRead = deferred();
    const aCommitted = deferred();
    a.store.beforeAppend = () => bRead.promise;
    a.store.afterAppend = aCommitted.resolve;
    b.store.afterHead = bRead.resolve;
    b.store.beforeAppend = () => aCommitted.promise;
    await Promise.all([a.host.wake(runId), b.host.wake(runId)]);
    // B may meet the head move more than once: each of A's commits waits for its group's turn,
    // so B can reload between two of them.
    expect(b.store.refusals.length).toBeGreaterThanOrEqual(1);
    expect(b.store.refusals.every((e) => ConcurrencyError.is(e))).toBe(true);
    expect(a.store.refusals).toEqual([]);
    // The retry after reloading found the run completed, or met A's next commit (B's host then
    // reports that conflict and leaves the run to A): nothing re-done either way.
    expect(b.errors.every((e) => ConcurrencyError.is(e))).toBe(true);
    expect(a.errors).toEqual([]);
    expect(await b.host.get(runId)).toMatchObject({
      status: "completed",
      output: { sleptMs: 1000 },
    });
    const events = await validLog(a.sqlite, runId);
    expect(events.map((e) => e.event.type)).toEqual([
      "RunStarted",
      "ActionRequested",
      "ActionSucceeded",
      "Completed",
    ]);
  });

  it("lets exactly one of two racing resumes win; the loser reloads, finds the interrupt answered and is refused as not blocked", async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const { a, b } = twoHosts(clock);
    const runId = "two-hosts-resume";
    await a.host.start("demo.approval", { text: "ship" }, { runId, wait: true });
    const interruptId = (await b.host.get(runId)).blocked?.interrupt?.id as string;
    await b.host.wake(runId);
    const bRead = deferred();
    const aCommitted = deferred();
    a.store.beforeAppend = () => bRead.promise;
    a.store.afterAppend = aCommitted.resolve;
    b.store.afterHead = bRead.resolve;
    b.store.beforeAppend = () => aCommitted.promise;
    const [won, lost] = await Promise.allSettled([
      a.host.resume(runId, { approved: true }, { interruptId, wait: true }),
      b.host.resume(runId, { approved: false }, { interruptId, wait: true }),
    ]);
    expect(won.status).toBe("fulfilled");
    expect(lost.status).toBe("rejected");
    // B met a stale head, reloaded the run from the log A wrote, and judged its resume again.
    expect(NotBlockedError.is((lost as PromiseRejectedResult).reason)).toBe(true);
    expect(await b.host.get(runId)).toMatchObject({
      status: "completed",
      output: { approved: true },
    });
    await expect(b.host.resume(runId, { approved: false }, { interruptId })).rejects.toSatisfy(
      (e: unknown) => NotBlockedError.is(e),
    );
    const events = await validLog(a.sqlite, runId);
    expect(events.filter((e) => e.event.type === "Resumed")).toHaveLength(1);
  });

  it("runs a tool at least once with one action id when both hosts hold the pending request, and records one outcome", async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const { a, b } = twoHosts(clock);
    const runId = "two-hosts-tool";
    const release = deferred();
    a.executor.gate = release.promise;
    const started = await a.host.start("demo.approval", { text: "twice" }, { runId });
    expect(started.existed).toBe(false);
    // A requested the echo and is inside the tool; B takes the run over and finishes the step.
    await waitFor(() => a.executor.calls.length === 1);
    await b.host.wake(runId);
    expect((await b.host.get(runId)).status).toBe("blocked");
    release.resolve();
    await a.host.idle(runId);

    expect(a.store.refusals.filter((e) => ConcurrencyError.is(e))).toHaveLength(1);
    expect(a.errors).toEqual([]);
    const actionId = `${runId}:2`;
    expect(a.executor.calls).toEqual([{ actionId, attempt: 0 }]);
    expect(b.executor.calls).toEqual([{ actionId, attempt: 0 }]);
    const events = await validLog(a.sqlite, runId);
    expect(events.map((e) => e.event.type)).toEqual([
      "RunStarted",
      "ActionRequested",
      "ActionSucceeded",
      "Interrupted",
    ]);
    // B's outcome is the one recorded; A, reloaded, agrees.
    expect(events[2]?.event).toMatchObject({ output: { by: "b" } });
    expect(await a.host.get(runId)).toMatchObject({ status: "blocked", head: 4 });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}
