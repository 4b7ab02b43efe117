// The building blocks of the crash harness: a plan of crash points counted over the lives of one
// scenario, and a store and an executor that die with their life.
import type { Action, ActionExecutor, ActionResult, ExecuteContext } from "../actions.ts";
import type { AppendOptions, HostStore } from "../event-store.ts";
import type { SequencedEvent } from "../events.ts";
import type { RunPage, RunQuery, RunSummary } from "../run-index.ts";
import { findSignalSeq } from "../signal-dedupe.ts";
import type { Snapshot } from "../snapshot-store.ts";

/** The "process died" error: not a kernel error, so nothing catches it as one. */
export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`simulated crash ${where}`);
    this.name = "SimulatedCrash";
  }
}

/** A place where the process can die: before or after a commit or an execute. */
export interface CrashPoint {
  /** Counted from 0 over every life of one scenario. */
  index: number;
  kind: "commit" | "execute";
  when: "before" | "after";
  /** The event types of the commit, or the action id and attempt of the execute. */
  detail: string;
}

/**
 * Counts crash points over the lives of one scenario and kills the life that reaches one of the
 * chosen indexes. Each kernel instance gets its own `Life`; wrappers made for one life die with it.
 */
export class CrashPlan {
  points = 0;
  readonly crashes: CrashPoint[] = [];
  /** Every point passed, when `trace` is on: what a crash-free run could have died at. */
  readonly trace: CrashPoint[] = [];
  readonly #at: ReadonlySet<number>;
  readonly #trace: boolean;

  constructor(crashAt: Iterable<number> = [], options: { trace?: boolean } = {}) {
    this.#at = new Set(crashAt);
    this.#trace = options.trace ?? false;
  }

  /** A new process life. */
  life(): Life {
    return new Life(this);
  }

  /** Passes one point: the life dies there when the plan says so. */
  pass(life: Life, kind: CrashPoint["kind"], when: CrashPoint["when"], detail: string): void {
    life.assertAlive();
    const point: CrashPoint = { index: this.points, kind, when, detail };
    this.points += 1;
    if (this.#trace) this.trace.push(point);
    if (this.#at.has(point.index)) {
      life.dead = true;
      this.crashes.push(point);
      throw new SimulatedCrash(`${when} ${kind} #${point.index} (${detail})`);
    }
  }
}

/** One process life: once dead, everything made for it throws `SimulatedCrash` and does nothing. */
export class Life {
  dead = false;
  readonly plan: CrashPlan;
  constructor(plan: CrashPlan) {
    this.plan = plan;
  }
  assertAlive(): void {
    if (this.dead) throw new SimulatedCrash("in a dead process");
  }
}

/**
 * A host store that dies with its life: crash points before and after every append (the batch is
 * durable after an after-crash, but the caller never hears of it); every call of a dead life
 * throws before reaching the inner store, so an abandoned kernel writes nothing more.
 */
export class CrashingStore implements HostStore {
  readonly inner: HostStore;
  readonly #life: Life;

  constructor(inner: HostStore, life: Life) {
    this.inner = inner;
    this.#life = life;
  }

  async append(
    runId: string,
    events: readonly SequencedEvent[],
    options: AppendOptions,
  ): Promise<void> {
    const detail = events.map((se) => se.event.type).join("+");
    this.#life.plan.pass(this.#life, "commit", "before", detail);
    await this.inner.append(runId, events, options);
    this.#life.plan.pass(this.#life, "commit", "after", detail);
  }
  read(runId: string, fromSeq?: number, limit?: number): Promise<SequencedEvent[]> {
    return this.#alive(() => this.inner.read(runId, fromSeq, limit));
  }
  head(runId: string): Promise<number> {
    return this.#alive(() => this.inner.head(runId));
  }
  signalSeq(runId: string, signalId: string): Promise<number | undefined> {
    return this.#alive(() => findSignalSeq(this.inner, runId, signalId));
  }
  loadLatest(runId: string): Promise<Snapshot | undefined> {
    return this.#alive(() => this.inner.loadLatest(runId));
  }
  save(snapshot: Snapshot): Promise<void> {
    return this.#alive(() => this.inner.save(snapshot));
  }
  getRun(runId: string): Promise<RunSummary | undefined> {
    return this.#alive(() => this.inner.getRun(runId));
  }
  listRuns(query?: RunQuery): Promise<RunPage> {
    return this.#alive(() => this.inner.listRuns(query));
  }
  wakingRuns(limit?: number): Promise<RunSummary[]> {
    return this.#alive(() => this.inner.wakingRuns(limit));
  }
  async #alive<T>(fn: () => Promise<T>): Promise<T> {
    this.#life.assertAlive();
    const value = await fn();
    this.#life.assertAlive();
    return value;
  }
}

/** Called before each real execution: where a test checks that running the action is allowed. */
export type BeforeExecute = (
  runId: string,
  action: Action,
  ctx: ExecuteContext,
) => void | Promise<void>;

/**
 * An executor that dies with its life: crash points before the world is touched and after it
 * answered (the effect happened; the kernel never hears of it). A crash surfaces to the kernel as
 * a thrown non-kernel error, which it would record as a failed attempt, but its store is dead
 * too, so nothing is recorded.
 */
export class CrashingExecutor implements ActionExecutor {
  readonly #inner: ActionExecutor;
  readonly #life: Life;
  readonly #before: BeforeExecute | undefined;

  constructor(inner: ActionExecutor, life: Life, before?: BeforeExecute) {
    this.#inner = inner;
    this.#life = life;
    this.#before = before;
  }

  async execute(runId: string, action: Action, ctx: ExecuteContext): Promise<ActionResult> {
    const detail = `${ctx.actionId}#${ctx.attempt}`;
    this.#life.plan.pass(this.#life, "execute", "before", detail);
    await this.#before?.(runId, action, ctx);
    let result: ActionResult;
    try {
      result = await this.#inner.execute(runId, action, ctx);
    } catch (error) {
      this.#life.plan.pass(this.#life, "execute", "after", detail);
      throw error;
    }
    this.#life.plan.pass(this.#life, "execute", "after", detail);
    return result;
  }
}
