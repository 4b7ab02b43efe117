// The browser host in a real Chromium. Two hosts in one page on one IndexedDB database stand for
// two tabs: separate connections, one origin's Web Locks, BroadcastChannel between instances.
import { type ActionExecutor, type Json, type SequencedEvent, workflow } from "runlog";
import { sleepDemo } from "runlog/demos";
import { type BrowserHost, createBrowserHost, runLockName } from "runlog/idb";
import { afterEach, describe, expect, it } from "vitest";
import { deleteDatabase } from "./idb-cleanup.ts";

const hosts: BrowserHost[] = [];
const names: string[] = [];
let counter = 0;

function dbName(): string {
  const name = `runlog-bh-${Date.now().toString(36)}-${counter++}`;
  names.push(name);
  return name;
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
  await Promise.all(names.splice(0).map(deleteDatabase));
});

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Four tool calls in a row, then done. */
const steps = workflow<{ n: number }, { done: number }>("test.steps", 1, function* (ctx, input) {
  for (let i = 0; i < input.n; i++) yield* ctx.tool("work", { i });
  return { done: input.n };
});

/** Completes after `n` signals named `s`, with their values. */
const signals = workflow<{ n: number }, Json>("test.signals", 1, function* (ctx, input) {
  const got: Json[] = [];
  for (let i = 0; i < input.n; i++) got.push(yield* ctx.waitSignal("s"));
  return got;
});

/** An executor that takes a while and records which host ran which action. */
function slowExecutor(calls: string[], who: string): ActionExecutor {
  return {
    async execute(_runId, action, ctx) {
      calls.push(`${who}:${ctx.actionId}`);
      await delay(15);
      return { type: "success", output: { ran: action.type } };
    },
  };
}

interface Tab {
  host: BrowserHost;
  errors: unknown[];
}

async function openTab(
  name: string,
  calls: string[],
  who: string,
  extra: Partial<Parameters<typeof createBrowserHost>[0]> = {},
): Promise<Tab> {
  const errors: unknown[] = [];
  const host = await createBrowserHost({
    name,
    workflows: [steps, signals, sleepDemo],
    executor: slowExecutor(calls, who),
    onError: (_runId, error) => errors.push(error),
    ...extra,
  });
  hosts.push(host);
  return { host, errors };
}

async function collect(stream: AsyncIterable<SequencedEvent>): Promise<SequencedEvent[]> {
  const out: SequencedEvent[] = [];
  for await (const se of stream) out.push(se);
  return out;
}

/** Seqs 1..n, one ActionRequested and one outcome per action id, one Completed at the end. */
function expectValidLog(events: readonly SequencedEvent[]): void {
  expect(events.map((se) => se.seq)).toEqual(events.map((_, i) => i + 1));
  const requested = events.flatMap((se) =>
    se.event.type === "ActionRequested" ? [se.event.actionId] : [],
  );
  const outcomes = events.flatMap((se) =>
    se.event.type === "ActionSucceeded" || se.event.type === "ActionFailed"
      ? [se.event.actionId]
      : [],
  );
  expect(new Set(requested).size).toBe(requested.length);
  expect([...outcomes].sort()).toEqual([...requested].sort());
  expect(events.filter((se) => se.event.type === "Completed")).toHaveLength(1);
  expect(events.at(-1)?.event.type).toBe("Completed");
}

describe("createBrowserHost across tabs", () => {
  it("lets exactly one tab drive a run while the other follows it live through watch", async () => {
    const name = dbName();
    const calls: string[] = [];
    const a = await openTab(name, calls, "a");
    const b = await openTab(name, calls, "b");
    const runId = "run-two-tabs";
    // B watches a run that does not exist yet: everything it sees comes from A over the channel.
    const followed = collect(b.host.watch(runId));
    const started = await a.host.start("test.steps", { n: 4 }, { runId });
    expect(started.existed).toBe(false);
    // Both tabs try to drive it at once, several times over.
    await Promise.all([
      b.host.wake(runId),
      a.host.wake(runId),
      b.host.wake(runId),
      b.host.start("test.steps", { n: 4 }, { runId }),
    ]);
    const seen = await followed;
    const { events } = await a.host.events(runId);
    expectValidLog(events);
    expect(seen).toEqual(events);
    // Each of the four tool calls ran once, all of them in the tab that started the run.
    expect(calls).toHaveLength(4);
    expect(new Set(calls).size).toBe(4);
    expect(calls.every((c) => c.startsWith("a:"))).toBe(true);
    expect((await b.host.get(runId)).status).toBe("completed");
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it("keeps a run still while another tab holds its lock", async () => {
    const name = dbName();
    const calls: string[] = [];
    const a = await openTab(name, calls, "a");
    const runId = "run-locked-elsewhere";
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let acquired: () => void = () => {};
    const isHeld = new Promise<void>((resolve) => (acquired = resolve));
    const other = navigator.locks.request(runLockName(runId), () => {
      acquired();
      return held;
    });
    await isHeld;
    const start = a.host.start("test.steps", { n: 1 }, { runId, wait: true });
    await delay(150);
    // Its start is recorded (a new run's first event needs no lock: only one start of an id can
    // win), but it does not advance while the other tab holds its lock.
    const held1 = await a.host.store.head(runId);
    const stillCalls = calls.length;
    release();
    expect(held1).toBe(1);
    expect(stillCalls).toBe(0);
    await other;
    expect((await start).status).toBe("completed");
    expect(calls).toHaveLength(1);
  });

  it("never lets a ConcurrencyError reach the caller, even without locks", async () => {
    const name = dbName();
    const calls: string[] = [];
    // No lock at all: the optimistic check is the only thing between the two tabs.
    const noLock = { locks: { request: <T>(_n: string, work: () => Promise<T>) => work() } };
    const a = await openTab(name, calls, "a", noLock);
    const b = await openTab(name, calls, "b", noLock);
    const runId = "run-racing-signals";
    await a.host.start("test.signals", { n: 8 }, { runId, wait: true });
    const sends = [];
    for (let i = 0; i < 8; i++) {
      const tab = i % 2 === 0 ? a : b;
      sends.push(tab.host.signal(runId, "s", i, { signalId: `sig-${i}` }));
    }
    const results = await Promise.allSettled(sends);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    await Promise.all([a.host.idle(runId), b.host.idle(runId)]);
    // A drive that lost a race retries; wait until one of them has recorded the end.
    for (let i = 0; i < 100 && (await a.host.get(runId)).status !== "completed"; i++) {
      await delay(20);
    }
    const { events } = await a.host.events(runId);
    expectValidLog(events);
    const received = events.filter((se) => se.event.type === "SignalReceived");
    expect(received).toHaveLength(8);
    expect((await a.host.get(runId)).error).toBeUndefined();
    expect((await b.host.get(runId)).error).toBeUndefined();
    expect([...a.errors, ...b.errors].map(String)).toEqual([]);
  });

  it("re-arms a sleeping run's timer on the next load and wakes it at its time", async () => {
    const name = dbName();
    const calls: string[] = [];
    const a = await openTab(name, calls, "a");
    const runId = "run-sleeps-across-loads";
    const started = await a.host.start("demo.sleep", { ms: 700 }, { runId, wait: true });
    const timerAt = started.blocked?.timerAt;
    expect(started.status).toBe("blocked");
    expect(timerAt).toBeTypeOf("number");
    // The tab closes mid-sleep; no timer of it survives.
    await a.host.close();
    await delay(100);
    const b = await openTab(name, calls, "b");
    expect((await b.host.get(runId)).status).toBe("blocked");
    const events = await collect(b.host.watch(runId));
    const completed = events.at(-1);
    expect(completed?.event).toEqual({ type: "Completed", output: { sleptMs: 700 } });
    expect(completed?.ts).toBeGreaterThanOrEqual(timerAt as number);
    expect(completed?.ts).toBeLessThan((timerAt as number) + 1000);
    expectValidLog(events);
  });

  it("wakes a run whose time passed while no tab was open at once on load", async () => {
    const name = dbName();
    const calls: string[] = [];
    const a = await openTab(name, calls, "a");
    const runId = "run-overslept";
    await a.host.start("demo.sleep", { ms: 50 }, { runId, wait: true });
    await a.host.close();
    await delay(250);
    const loadedAt = Date.now();
    const b = await openTab(name, calls, "b");
    const events = await collect(b.host.watch(runId));
    expect(events.at(-1)?.event.type).toBe("Completed");
    expect((events.at(-1)?.ts ?? 0) - loadedAt).toBeLessThan(300);
    expectValidLog(events);
  });
});
