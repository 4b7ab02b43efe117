// A tab killed in the middle of a run, in a real Chromium: each "tab" is a dedicated worker running
// a browser host on one IndexedDB database, and the page terminates it while a tool is executing
// (its ActionRequested durable, no outcome) or a few milliseconds after the tool answered (which
// can land inside the commit of its outcome). A new tab on the same database recovers the run, and
// it must end as the crash-free run did: the same events, seqs 1..n, one request and one outcome
// per action, the tool re-executed only with the action's own id, and verify passing.
import { afterAll, describe, expect, it } from "vitest";
import { deleteDatabase } from "./idb-cleanup.ts";
import type { FromTab, ToTab } from "./tab-crash-worker.ts";

const N = 3;
const names: string[] = [];
const workers = new Set<Worker>();
let counter = 0;

afterAll(async () => {
  for (const worker of workers) worker.terminate();
  await Promise.all(names.map(deleteDatabase));
});

type Exec = Extract<FromTab, { type: "exec" }>;
type Settled = Extract<FromTab, { type: "settled" }>;

/** A tab: a worker with a browser host; `onExec` decides what happens to each execution. */
class Tab {
  readonly worker: Worker;
  readonly settled: Promise<Settled>;
  onExec: (exec: Exec) => void = (exec) => this.answer(exec.actionId);

  constructor(
    name: string,
    runId: string,
    readonly execs: Exec[],
    start?: { n: number },
  ) {
    this.worker = new Worker(new URL("./tab-crash-worker.ts", import.meta.url), {
      type: "module",
    });
    workers.add(this.worker);
    this.settled = new Promise((resolve, reject) => {
      this.worker.onmessage = (e: MessageEvent<FromTab>) => {
        const message = e.data;
        if (message.type === "exec") {
          execs.push(message);
          this.onExec(message);
        } else if (message.type === "settled") resolve(message);
        else reject(new Error(`tab: ${message.message}`));
      };
      this.worker.onerror = (e) => reject(new Error(`tab: ${e.message}`));
    });
    const open: ToTab = { type: "open", name, runId, ...(start ? { start } : {}) };
    this.worker.postMessage(open);
  }

  answer(actionId: string): void {
    this.worker.postMessage({ type: "answer", actionId } satisfies ToTab);
  }

  /** Closes the tab at once, whatever it is doing. */
  kill(): void {
    this.worker.terminate();
    workers.delete(this.worker);
  }
}

function newRun(what: string) {
  const name = `runlog-tab-crash-${Date.now().toString(36)}-${counter++}`;
  names.push(name);
  return { name, runId: `${what}-${counter}` };
}

/** The events with their times left out and the run id masked: what two runs must share. */
const comparable = (settled: Settled, runId: string) =>
  JSON.parse(
    JSON.stringify(settled.events.map(({ seq, event }) => ({ seq, event }))).replaceAll(
      runId,
      "RUN",
    ),
  ) as { seq: number; event: { type: string; actionId?: string } }[];

/** The log's own rules, and every execution with the id of a requested action at attempt 0. */
function expectSoundRun(settled: Settled, runId: string, execs: readonly Exec[]): void {
  expect(settled.verified, settled.verifyMessage).toBe(true);
  const events = settled.events as { seq: number; event: { type: string; actionId?: string } }[];
  expect(events.map((se) => se.seq)).toEqual(events.map((_, i) => i + 1));
  const requested = events.filter((se) => se.event.type === "ActionRequested");
  const outcomes = events.filter((se) => se.event.type === "ActionSucceeded");
  expect(requested.map((se) => se.event.actionId)).toEqual(
    requested.map((se) => `${runId}:${se.seq}`),
  );
  expect(outcomes.map((se) => se.event.actionId)).toEqual(requested.map((se) => se.event.actionId));
  const ids = new Set(requested.map((se) => se.event.actionId));
  for (const exec of execs) {
    expect(ids.has(exec.actionId), `executed ${exec.actionId}, never requested`).toBe(true);
    expect(exec.attempt).toBe(0);
  }
  expect(events.filter((se) => se.event.type === "Completed")).toHaveLength(1);
}

let free: { settled: Settled; runId: string; execs: Exec[] } | undefined;

async function crashFree() {
  if (free) return free;
  const { name, runId } = newRun("free");
  const execs: Exec[] = [];
  const tab = new Tab(name, runId, execs, { n: N });
  const settled = await tab.settled;
  tab.kill();
  free = { settled, runId, execs };
  return free;
}

/**
 * Runs the workflow in a tab killed at its `at`-th execution (counted from 0): while the tool runs,
 * or `afterMs` after it answered. A second tab on the database recovers the run.
 */
async function killedAt(at: number, afterMs?: number) {
  const { name, runId } = newRun(`killed-${at}-${afterMs ?? "running"}`);
  const execs: Exec[] = [];
  const first = new Tab(name, runId, execs, { n: N });
  let seen = 0;
  const killed = new Promise<void>((resolve) => {
    first.onExec = (exec) => {
      if (seen++ < at) return first.answer(exec.actionId);
      if (afterMs === undefined) {
        first.kill();
        return resolve();
      }
      first.answer(exec.actionId);
      setTimeout(() => {
        first.kill();
        resolve();
      }, afterMs);
    };
  });
  await killed;
  const firstLife = execs.length;
  const second = new Tab(name, runId, execs);
  const settled = await second.settled;
  second.kill();
  return { settled, runId, execs, firstLife };
}

describe("a tab closed in the middle of a run (IndexedDB in Chromium)", () => {
  it("runs the workflow crash-free in a tab: each action executed once", async () => {
    const { settled, runId, execs } = await crashFree();
    expect(settled.info).toEqual({
      status: "completed",
      output: [{ done: { i: 0 } }, { done: { i: 1 } }, { done: { i: 2 } }],
    });
    expectSoundRun(settled, runId, execs);
    expect(execs.map((e) => e.actionId)).toEqual(
      comparable(settled, runId)
        .filter((se) => se.event.type === "ActionRequested")
        .map((se) => se.event.actionId?.replace("RUN", runId)),
    );
  });

  it.each(Array.from({ length: N }, (_, i) => i))(
    "recovers a tab killed while its tool %i runs: the same action id executed again, one outcome",
    async (at) => {
      const reference = await crashFree();
      const { settled, runId, execs, firstLife } = await killedAt(at);
      expect(settled.info).toEqual(reference.settled.info);
      expect(comparable(settled, runId)).toEqual(comparable(reference.settled, reference.runId));
      expectSoundRun(settled, runId, execs);
      // The killed execution, and only it, ran again in the new tab, with the same action id.
      expect(firstLife).toBe(at + 1);
      const killedId = execs[at]?.actionId;
      expect(execs.filter((e) => e.actionId === killedId)).toHaveLength(2);
      expect(execs).toHaveLength(N + 1);
      expect(execs[at + 1]?.actionId).toBe(killedId);
    },
    60_000,
  );

  // Kill delays after the tool answered: 0 ms lands before or inside the outcome's commit, longer
  // ones inside or after it, or in the next action.
  const delays = [0, 1, 2, 4, 8];
  const cases = Array.from({ length: N }, (_, at) => delays.map((ms) => [at, ms] as const)).flat();
  const figures = { scenarios: 0, reExecuted: 0 };
  afterAll(() => {
    console.log(
      `[tab-crash] ${figures.scenarios} kills after the tool answered: ${figures.reExecuted} re-executed the action (its outcome was not yet durable), ${figures.scenarios - figures.reExecuted} found it recorded`,
    );
  });

  it.each(cases)(
    "recovers a tab killed at execution %i, %i ms after the tool answered, to the crash-free run",
    async (at, ms) => {
      const reference = await crashFree();
      const { settled, runId, execs, firstLife } = await killedAt(at, ms);
      expect(settled.info).toEqual(reference.settled.info);
      expect(comparable(settled, runId)).toEqual(comparable(reference.settled, reference.runId));
      expectSoundRun(settled, runId, execs);
      // One crash: at most one execution repeated, and never one whose outcome was recorded.
      const counts = new Map<string, number>();
      for (const e of execs) counts.set(e.actionId, (counts.get(e.actionId) ?? 0) + 1);
      expect([...counts.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(1);
      expect(execs.length).toBeLessThanOrEqual(N + 1);
      expect(counts.size).toBe(N);
      expect(firstLife).toBeGreaterThanOrEqual(at + 1);
      figures.scenarios += 1;
      if (execs.length > N) figures.reExecuted += 1;
    },
    60_000,
  );
});
