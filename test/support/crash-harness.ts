// Runs a generated workflow crash-free, then once per crash point with the process dying there and
// a fresh kernel (on a fresh connection to the same storage) recovering it, and checks that every
// recovery ends exactly where the crash-free run did.
import fc from "fast-check";
import {
  type Action,
  type ExecuteContext,
  Kernel,
  type RunStatus,
  type RunSummary,
  type SequencedEvent,
} from "runlog";
import { type HostStore, metaOf, type Snapshot } from "runlog/store-kit";
import {
  CrashingExecutor,
  CrashingStore,
  CrashPlan,
  type CrashPoint,
  logProblems,
  SimulatedCrash,
} from "runlog/testing";
import {
  type Execution,
  type GenState,
  genPolicy,
  genReducer,
  genStep,
  INLINE_RETRY_MAX_MS,
  initialGenState,
  type Program,
  programArb,
  runEnvironment,
  World,
} from "./gen-workflow.ts";
import { instantScheduler } from "./kernel-fixtures.ts";

export { logProblems } from "runlog/testing";

/** Storage shared by every life of a scenario; each life opens its own connection to it. */
export interface StoreUnderTest {
  name: string;
  connect(): Promise<HostStore>;
  disconnect?(store: HostStore): Promise<void> | void;
}

/** Where a scenario ended and what it took to get there. */
export interface ScenarioResult {
  runId: string;
  status: RunStatus;
  events: SequencedEvent[];
  state: GenState;
  snapshotState: GenState;
  snapshot: Snapshot | undefined;
  summary: RunSummary | undefined;
  points: number;
  trace: CrashPoint[];
  crashes: CrashPoint[];
  executions: Execution[];
  lives: number;
  /** Broken invariants seen during the run (an execution that should not have happened, …). */
  problems: string[];
}

let scenarios = 0;

function kernelFor(program: Program, store: HostStore, world: World, executor: CrashingExecutor) {
  return new Kernel<GenState>({
    events: store,
    snapshots: store,
    reducer: genReducer,
    step: genStep(program),
    executor,
    policy: genPolicy(program),
    clock: world.clock,
    random: world.random,
    scheduler: instantScheduler,
    snapshotEvery: program.snapshotEvery,
    inlineRetryMaxMs: INLINE_RETRY_MAX_MS,
  });
}

/**
 * Runs `program` to its end on `sut`, the process dying at each point index in `crashAt` and a
 * fresh kernel on a fresh connection taking over each time.
 */
export async function runScenario(
  sut: StoreUnderTest,
  program: Program,
  crashAt: readonly number[],
  options: { trace?: boolean } = {},
): Promise<ScenarioResult> {
  const runId = `r${scenarios++}-${crashAt.join("_") || "free"}`;
  const plan = new CrashPlan(crashAt, options);
  const world = new World(program);
  const problems: string[] = [];
  let lives = 0;
  let status: RunStatus | undefined;
  let connection: HostStore | undefined;
  while (status === undefined) {
    if (lives > crashAt.length) throw new Error(`${runId}: more lives than crashes planned`);
    if (connection) await sut.disconnect?.(connection);
    const raw = await sut.connect();
    connection = raw;
    lives += 1;
    const life = plan.life();
    const check = async (rid: string, action: Action, ctx: ExecuteContext) => {
      problems.push(...executionProblems(await raw.read(rid, 1), action, ctx));
    };
    const kernel = kernelFor(
      program,
      new CrashingStore(raw, life),
      world,
      new CrashingExecutor(world, life, check),
    );
    try {
      status = await runEnvironment(kernel, runId, program, world);
    } catch (error) {
      if (!(error instanceof SimulatedCrash && life.dead)) throw error;
    }
  }
  const store = connection as HostStore;
  const events = await store.read(runId, 1);
  const fresh = kernelFor(program, store, world, new CrashingExecutor(world, plan.life()));
  const result: ScenarioResult = {
    runId,
    status,
    events,
    state: await fresh.replay(runId, initialGenState),
    snapshotState: await fresh.replayFromSnapshot(runId, initialGenState),
    snapshot: await store.loadLatest(runId),
    summary: await store.getRun(runId),
    points: plan.points,
    trace: plan.trace,
    crashes: plan.crashes,
    executions: world.executions,
    lives,
    problems,
  };
  const report = await fresh.verify(runId, initialGenState);
  if (!report.ok) problems.push(`verify failed: ${report.message}`);
  problems.push(...logProblems(runId, events), ...snapshotProblems(result));
  await sut.disconnect?.(store);
  return result;
}

/** Running `action` now is allowed only while its request has no recorded outcome for `attempt`. */
function executionProblems(log: SequencedEvent[], action: Action, ctx: ExecuteContext): string[] {
  const { actionId, attempt } = ctx;
  const mine = log.filter((se) => "actionId" in se.event && se.event.actionId === actionId);
  const requests = mine.filter((se) => se.event.type === "ActionRequested");
  const outcomes = mine.filter(
    (se) => se.event.type === "ActionSucceeded" || se.event.type === "ActionFailed",
  );
  const failedAttempts = mine.filter((se) => se.event.type === "ActionAttemptFailed").length;
  const out: string[] = [];
  const what = `execute ${action.type} ${actionId} attempt ${attempt}`;
  if (requests.length !== 1) out.push(`${what}: ${requests.length} ActionRequested in the log`);
  if (outcomes.length > 0) out.push(`${what}: its outcome is already recorded`);
  if (failedAttempts !== attempt)
    out.push(`${what}: ${failedAttempts} failed attempts are recorded`);
  if (log.some((se) => se.event.type === "Cancelled" || se.event.type === "Completed")) {
    out.push(`${what}: the run has ended`);
  }
  return out;
}

function snapshotProblems(r: ScenarioResult): string[] {
  const out: string[] = [];
  const snap = r.snapshot;
  if (!snap) return r.events.length > 0 ? ["no snapshot of a run that settled"] : [];
  const head = r.events.length;
  if (snap.atSeq > head) out.push(`snapshot at ${snap.atSeq} beyond head ${head}`);
  if (snap.meta && !sameJson(snap.meta, metaOf(r.events.slice(0, snap.atSeq)))) {
    out.push(`snapshot meta at ${snap.atSeq} differs from the log's`);
  }
  if (!sameJson(r.state, r.snapshotState))
    out.push("restore from the snapshot differs from a full replay");
  if (r.summary?.head !== head) out.push(`summary head ${r.summary?.head}, log head ${head}`);
  return out;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A scenario's outcome with its run id taken out and recorded randomness masked. */
function comparable(r: ScenarioResult) {
  const events = r.events.map((se) =>
    se.event.type === "RandomDrawn"
      ? { ...se, event: { type: "RandomDrawn", values: se.event.values.length } }
      : se,
  );
  const text = JSON.stringify({ status: r.status, events, state: r.state, summary: r.summary });
  return JSON.parse(text.replaceAll(r.runId, "RUN")) as {
    status: unknown;
    events: SequencedEvent[];
    state: unknown;
    summary: unknown;
  };
}

/**
 * What a recovered run must share with the crash-free one: final status, state and summary, the
 * same events (types, seqs, times, payloads), and executions only repeated for crashes that left
 * their outcome unrecorded.
 */
export function recoveryProblems(free: ScenarioResult, crashed: ScenarioResult): string[] {
  const a = comparable(free);
  const b = comparable(crashed);
  const out: string[] = [...crashed.problems];
  const types = (x: typeof a) => x.events.map((se) => se.event.type).join(",");
  if (types(a) !== types(b))
    out.push(`event types differ:\n  free:  ${types(a)}\n  crash: ${types(b)}`);
  else if (!sameJson(a.events, b.events)) {
    const i = a.events.findIndex((se, k) => !sameJson(se, b.events[k]));
    out.push(
      `event ${i + 1} differs:\n  free:  ${JSON.stringify(a.events[i])}\n  crash: ${JSON.stringify(b.events[i])}`,
    );
  }
  if (!sameJson(a.status, b.status))
    out.push(`status ${JSON.stringify(b.status)}, not ${JSON.stringify(a.status)}`);
  if (!sameJson(a.state, b.state)) out.push("final state differs");
  if (!sameJson(a.summary, b.summary))
    out.push(`summary ${JSON.stringify(b.summary)}, not ${JSON.stringify(a.summary)}`);
  const key = (r: ScenarioResult, e: Execution) =>
    `${e.actionId.replace(r.runId, "RUN")}#${e.attempt}`;
  const left = new Map<string, number>();
  for (const e of free.executions) left.set(key(free, e), (left.get(key(free, e)) ?? 0) + 1);
  let repeats = 0;
  for (const e of crashed.executions) {
    const n = left.get(key(crashed, e)) ?? 0;
    if (n > 0) left.set(key(crashed, e), n - 1);
    else repeats += 1;
  }
  const missing = [...left].filter(([, n]) => n > 0).map(([k]) => k);
  if (missing.length > 0) out.push(`executions missing after recovery: ${missing.join(", ")}`);
  if (repeats > crashed.crashes.length)
    out.push(`${repeats} re-executions for ${crashed.crashes.length} crash(es)`);
  return out;
}

/** What a property run covered. */
export interface CrashFigures {
  store: string;
  seed: number;
  cases: number;
  scenarios: number;
  crashPoints: number;
  byPoint: Record<string, number>;
  events: number;
  reExecutions: number;
  ms: number;
}

/** Settings of one property run. */
export interface CrashSuiteOptions {
  seed: number;
  runs: number;
  maxOps?: number;
  /** Also kill several lives per scenario (2 or 3 random points). */
  multi?: boolean;
}

/**
 * The property: for a generated program, the crash-free run is valid, and for every crash point
 * (and, with `multi`, random sets of them) the recovered run ends the same.
 * @throws the counterexample fast-check found, with the program and the crash point.
 */
export async function checkCrashRecovery(
  sut: StoreUnderTest,
  o: CrashSuiteOptions,
): Promise<CrashFigures> {
  const figures: CrashFigures = {
    store: sut.name,
    seed: o.seed,
    cases: 0,
    scenarios: 0,
    crashPoints: 0,
    byPoint: {},
    events: 0,
    reExecutions: 0,
    ms: 0,
  };
  const started = Date.now();
  const extra = o.multi
    ? fc.array(fc.uniqueArray(fc.nat({ max: 199 }), { minLength: 2, maxLength: 3 }), {
        maxLength: 3,
      })
    : fc.constant([] as number[][]);
  const property = fc.asyncProperty(programArb(o.maxOps), extra, async (program, sets) => {
    figures.cases += 1;
    const free = await runScenario(sut, program, [], { trace: true });
    figures.scenarios += 1;
    if (free.problems.length > 0) throw new Error(`crash-free run: ${free.problems.join("; ")}`);
    const plans = free.trace.map((p) => [p.index]);
    for (const set of sets)
      plans.push(set.map((n) => n % Math.max(1, Math.ceil(free.points * 1.5))));
    for (const crashAt of plans) {
      const crashed = await runScenario(sut, program, crashAt);
      figures.scenarios += 1;
      figures.events += crashed.events.length;
      const problems = recoveryProblems(free, crashed);
      if (problems.length > 0) {
        const where = crashed.crashes
          .map((c) => `${c.when} ${c.kind} #${c.index} (${c.detail})`)
          .join(", ");
        throw new Error(
          `after a crash ${where || "(none reached)"} then ${crashed.lives - 1} recovery:\n${problems.join("\n")}`,
        );
      }
      figures.reExecutions += crashed.executions.length - free.executions.length;
    }
    figures.crashPoints += free.trace.length;
    for (const p of free.trace) {
      const k = `${p.when} ${p.kind}`;
      figures.byPoint[k] = (figures.byPoint[k] ?? 0) + 1;
    }
  });
  await fc.assert(property, { seed: o.seed, numRuns: o.runs });
  figures.ms = Date.now() - started;
  return figures;
}
