import type { Action, ActionExecutor, ActionResult, ExecuteContext } from "../actions.ts";
import type { HostStore } from "../event-store.ts";
import type { SequencedEvent } from "../events.ts";
import { createHost, type Host } from "../host/host.ts";
import type { RunInfo } from "../host/run-info.ts";
import { manualWaker } from "../host/waker.ts";
import type { Json } from "../json.ts";
import { MemoryRunStore } from "../memory-run-store.ts";
import type { Policy } from "../policy.ts";
import { ManualClock, type Random } from "../ports.ts";
import type { Workflow } from "../workflow/workflow.ts";
import {
  CrashingExecutor,
  CrashingStore,
  CrashPlan,
  type Life,
  SimulatedCrash,
} from "./crash-plan.ts";
import { logProblems } from "./log-problems.ts";

/** What `crashAtEveryPoint` runs and how it answers the run when it waits. */
export interface CrashTestOptions<I> {
  // biome-ignore lint/suspicious/noExplicitAny: any state type.
  workflow: Workflow<I, any>;
  input: I;
  /** Runs the workflow's tools and LLM calls. Default: one that fails every action as unknown. */
  executor?: ActionExecutor;
  policy?: Policy;
  /** The value `resume` answers an interrupt with. Without it, an interrupt fails the test. */
  answer?: (value: Json, interruptId: string) => Json;
  /** The value of a signal the run waits for. Without it, a wait for a signal fails the test. */
  signal?: (name: string) => Json;
  /**
   * Fresh storage for one scenario; every life of the scenario reconnects to what it returns.
   * Default: a new `MemoryRunStore`.
   */
  store?: () => HostStore | Promise<HostStore>;
  /** Where the manual clock starts. Default 1 700 000 000 000. */
  startAt?: number;
  /** The most host calls one scenario may take before the test gives up. Default 1000. */
  maxCalls?: number;
}

/** What a passing `crashAtEveryPoint` covered. */
export interface CrashTestReport {
  /** How the crash-free run ended. */
  final: RunInfo;
  /** Crash points of the crash-free run: one scenario crashed at each. */
  points: number;
  /** Events of the crash-free run. */
  events: number;
  /** Actions run again after a crash that left their outcome unrecorded (at most one a crash). */
  reExecutions: number;
}

/** A recovery that did not end where the crash-free run did; `problems` says how. */
export class CrashRecoveryError extends Error {
  readonly problems: string[];
  constructor(where: string, problems: string[]) {
    super(`${where}:\n  ${problems.join("\n  ")}`);
    this.name = "CrashRecoveryError";
    this.problems = problems;
  }
}

interface Scenario {
  info: RunInfo;
  events: SequencedEvent[];
  executions: string[];
  points: number;
  crashes: string[];
  problems: string[];
}

const RUN_ID = "crash-test";

/**
 * Runs the workflow to its end on a host with a manual clock and waker, answering interrupts,
 * signals and timers as told, once without a crash, then once for every point where a process can
 * die (before and after each commit and each action), a fresh host on the same storage taking
 * over each time. Every recovered run must end with the same status, output and events (recorded
 * randomness aside) as the crash-free one, keep the log's invariants, verify, and run an action
 * again only when a crash left its outcome unrecorded.
 * @throws CrashRecoveryError naming the crash point and what differs.
 *
 * ```ts
 * const report = await crashAtEveryPoint({ workflow: approval, input: { text: "hi" }, executor,
 *   answer: () => ({ approved: true }) });
 * ```
 */
export async function crashAtEveryPoint<I>(o: CrashTestOptions<I>): Promise<CrashTestReport> {
  const free = await scenario(o, new CrashPlan([], { trace: true }));
  if (free.problems.length > 0) throw new CrashRecoveryError("the crash-free run", free.problems);
  let reExecutions = 0;
  for (let point = 0; point < free.points; point++) {
    const crashed = await scenario(o, new CrashPlan([point]));
    const problems = [...crashed.problems, ...differences(free, crashed)];
    if (problems.length > 0) {
      throw new CrashRecoveryError(`after a crash ${crashed.crashes.join(", ")}`, problems);
    }
    reExecutions += crashed.executions.length - free.executions.length;
  }
  return { final: free.info, points: free.points, events: free.events.length, reExecutions };
}

async function scenario<I>(o: CrashTestOptions<I>, plan: CrashPlan): Promise<Scenario> {
  const inner = await (o.store ?? (() => new MemoryRunStore()))();
  const clock = new ManualClock(o.startAt ?? 1_700_000_000_000);
  const executions: string[] = [];
  const counting: ActionExecutor = {
    execute: (runId: string, action: Action, ctx: ExecuteContext) => {
      executions.push(`${ctx.actionId}#${ctx.attempt}`);
      return o.executor ? o.executor.execute(runId, action, ctx) : unknownAction(action);
    },
  };
  const hostFor = (life: Life | undefined): Host =>
    createHost({
      store: life ? new CrashingStore(inner, life) : inner,
      workflows: [o.workflow],
      executor: life ? new CrashingExecutor(counting, life) : counting,
      ...(o.policy ? { policy: o.policy } : {}),
      clock,
      random: seeded(),
      scheduler: { sleep: async () => {} },
      waker: manualWaker,
      onError: () => undefined,
    });
  let life = plan.life();
  let host = hostFor(life);
  const problems: string[] = [];
  let info: RunInfo | undefined;
  for (let calls = 0; info === undefined; calls++) {
    if (calls > (o.maxCalls ?? 1000)) {
      problems.push(`the run did not end within ${o.maxCalls ?? 1000} host calls`);
      break;
    }
    try {
      info = await advance(o, host, inner, clock);
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) throw error;
    }
    if (life.dead) {
      info = undefined;
      await host.close().catch(() => undefined);
      life = plan.life();
      host = hostFor(life);
    }
  }
  await host.close().catch(() => undefined);
  const events = await inner.read(RUN_ID, 1);
  const checker = hostFor(undefined);
  const report = await checker.verify(RUN_ID);
  if (!report.ok) problems.push(`verify: ${report.message ?? "failed"}`);
  problems.push(...logProblems(RUN_ID, events));
  return {
    info: info ?? (await checker.get(RUN_ID)),
    events,
    executions,
    points: plan.points,
    crashes: plan.crashes.map((c) => `${c.when} ${c.kind} #${c.index} (${c.detail})`),
    problems,
  };
}

/** One step towards the end: start, answer what the run waits on, or wake it. */
async function advance<I>(
  o: CrashTestOptions<I>,
  host: Host,
  inner: HostStore,
  clock: ManualClock,
): Promise<RunInfo | undefined> {
  if ((await inner.head(RUN_ID)) === 0) {
    await host.start(o.workflow.name, o.input, { runId: RUN_ID, wait: true });
  }
  await host.idle(RUN_ID);
  const info = await host.get(RUN_ID);
  const blocked = info.blocked;
  if (info.status === "completed" || info.status === "failed" || info.status === "cancelled") {
    return info;
  }
  if (info.status === "running" || !blocked) {
    await host.wake(RUN_ID);
  } else if (blocked.interrupt) {
    if (!o.answer) throw new Error(`the run interrupted (${blocked.interrupt.id}) and no answer`);
    const { id, value } = blocked.interrupt;
    await host.resume(RUN_ID, o.answer(value, id), { interruptId: id, wait: true });
  } else if (blocked.waitSignal !== undefined) {
    const name = blocked.waitSignal;
    if (!o.signal) throw new Error(`the run waits for signal ${name} and no signal is given`);
    // The same id on every try, so a signal recorded before a crash is not recorded twice.
    const seen = (await inner.read(RUN_ID, 1)).filter(
      (se) => se.event.type === "SignalReceived" && se.event.name === name,
    ).length;
    await host.signal(RUN_ID, name, o.signal(name), { signalId: `${name}#${seen}`, wait: true });
  } else {
    const at = blocked.timerAt ?? blocked.retryAt ?? clock.now();
    clock.set(Math.max(clock.now(), at));
    await host.wake(RUN_ID);
  }
  return undefined;
}

/** What a recovered run must share with the crash-free one. */
function differences(free: Scenario, crashed: Scenario): string[] {
  const out: string[] = [];
  const a = comparable(free.events);
  const b = comparable(crashed.events);
  const types = (events: SequencedEvent[]) => events.map((se) => se.event.type).join(",");
  if (types(a) !== types(b)) {
    out.push(`event types differ:\n    free:  ${types(a)}\n    crash: ${types(b)}`);
  } else {
    const i = a.findIndex((se, k) => JSON.stringify(se) !== JSON.stringify(b[k]));
    if (i >= 0) {
      out.push(
        `event ${i + 1} differs:\n    free:  ${JSON.stringify(a[i])}\n    crash: ${JSON.stringify(b[i])}`,
      );
    }
  }
  if (free.info.status !== crashed.info.status) {
    out.push(`status ${crashed.info.status}, not ${free.info.status}`);
  }
  if (JSON.stringify(free.info.output) !== JSON.stringify(crashed.info.output)) {
    out.push(
      `output ${JSON.stringify(crashed.info.output)}, not ${JSON.stringify(free.info.output)}`,
    );
  }
  const left = new Map<string, number>();
  for (const e of free.executions) left.set(e, (left.get(e) ?? 0) + 1);
  let repeats = 0;
  for (const e of crashed.executions) {
    const n = left.get(e) ?? 0;
    if (n > 0) left.set(e, n - 1);
    else repeats += 1;
  }
  const missing = [...left].filter(([, n]) => n > 0).map(([k]) => k);
  if (missing.length > 0) out.push(`actions never run after the recovery: ${missing.join(", ")}`);
  if (repeats > crashed.crashes.length) {
    out.push(`${repeats} actions run again for ${crashed.crashes.length} crash`);
  }
  return out;
}

/** Events with recorded randomness masked: a draw lost to a crash is drawn again. */
function comparable(events: readonly SequencedEvent[]): SequencedEvent[] {
  return events.map((se) =>
    se.event.type === "RandomDrawn"
      ? { ...se, event: { type: "RandomDrawn", values: se.event.values.map(() => 0) } }
      : se,
  );
}

/** A small deterministic generator (mulberry32), the same sequence in every scenario. */
function seeded(seed = 42): Random {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

function unknownAction(action: Action): ActionResult {
  return {
    type: "failure",
    error: { kind: "permanent", message: `crashAtEveryPoint got no executor for ${action.type}` },
  };
}
