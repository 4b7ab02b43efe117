// Generated workflows for the crash suites: a program (a list of ops), the deterministic step
// function and reducer that run it, the world its actions touch (scripted per action id and
// attempt, so a re-execution answers the same), and the environment that answers its blocks.
import fc from "fast-check";
import {
  type Action,
  ActionError,
  type ActionExecutor,
  type ActionResult,
  AllowAllPolicy,
  type ExecuteContext,
  isTerminal,
  type Json,
  type Kernel,
  type Next,
  NotBlockedError,
  type Policy,
  type Reducer,
  RetryWithBackoffPolicy,
  type RunStatus,
  type StepFn,
} from "runlog";
import { ManualClock } from "runlog/testing";

/** How one attempt of a generated tool call ends. */
export type Outcome = "ok" | "transient" | "rateInline" | "rateDurable" | "permanent" | "refused";

/** One step of a generated program. */
export type Op =
  | { type: "emit"; count: number; random: boolean }
  | {
      type: "call";
      kind: "callTool" | "callLLM";
      script: Outcome[];
      onFailure: "continue" | "failRun";
    }
  | { type: "sleep"; ms: number }
  | { type: "signal"; early: boolean; duplicate: boolean }
  | { type: "interrupt"; staleFirst: boolean; cancel: boolean };

/** A generated workflow and the kernel settings it runs with. */
export interface Program {
  ops: Op[];
  snapshotEvery: number;
  maxRetries: number;
  maxToolCalls?: number;
}

const outcome = fc.constantFrom<Outcome>(
  "ok",
  "transient",
  "transient",
  "rateInline",
  "rateDurable",
  "permanent",
  "refused",
);

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    type: fc.constant("emit" as const),
    count: fc.integer({ min: 1, max: 3 }),
    random: fc.boolean(),
  }),
  {
    arbitrary: fc.record({
      type: fc.constant("call" as const),
      kind: fc.constantFrom("callTool" as const, "callTool" as const, "callLLM" as const),
      script: fc.array(outcome, { maxLength: 4 }),
      onFailure: fc.constantFrom("continue" as const, "continue" as const, "failRun" as const),
    }),
    weight: 3,
  },
  fc.record({ type: fc.constant("sleep" as const), ms: fc.constantFrom(0, 1, 1000, 3_600_000) }),
  fc.record({ type: fc.constant("signal" as const), early: fc.boolean(), duplicate: fc.boolean() }),
  fc.record({
    type: fc.constant("interrupt" as const),
    staleFirst: fc.boolean(),
    cancel: fc.constant(false),
  }),
);

/** Programs of up to `maxOps` ops; a cancelling interrupt can only come last. */
export function programArb(maxOps = 8): fc.Arbitrary<Program> {
  return fc.record(
    {
      ops: fc
        .tuple(
          fc.array(op, { maxLength: maxOps }),
          fc.option(fc.constant<Op>({ type: "interrupt", staleFirst: false, cancel: true }), {
            freq: 6,
          }),
        )
        .map(([ops, last]) => (last ? [...ops, last] : ops)),
      snapshotEvery: fc.constantFrom(1, 2, 3, 5, 64),
      maxRetries: fc.integer({ min: 0, max: 4 }),
      maxToolCalls: fc.integer({ min: 1, max: 6 }),
    },
    { requiredKeys: ["ops", "snapshotEvery", "maxRetries"] },
  );
}

/** The state a generated run folds to: where it is in the program and what it saw. */
export interface GenState {
  pc: number;
  trail: Json[];
}

export const initialGenState: GenState = { pc: 0, trail: [] };

/** Folds events into `GenState`; pure. */
export const genReducer: Reducer<GenState> = {
  apply(s, se) {
    const e = se.event;
    switch (e.type) {
      case "StateUpdated": {
        const last = (e.payload as { last?: boolean }).last === true;
        return { pc: last ? s.pc + 1 : s.pc, trail: [...s.trail, e.payload] };
      }
      case "ActionSucceeded":
        return { pc: s.pc + 1, trail: [...s.trail, { ok: e.output }] };
      case "ActionFailed":
        return { pc: s.pc + 1, trail: [...s.trail, { failed: e.error.kind }] };
      case "ActionAttemptFailed":
        return { pc: s.pc, trail: [...s.trail, { attempt: e.attempt, kind: e.error.kind }] };
      case "Resumed":
        return { pc: s.pc + 1, trail: [...s.trail, { resumed: e.value }] };
      case "SignalReceived":
        return { pc: s.pc, trail: [...s.trail, { signal: e.name }] };
      case "RandomDrawn":
        return { pc: s.pc, trail: [...s.trail, "random"] };
      default:
        return s;
    }
  },
};

/** The step function of a program: op `pc` decides, then the run completes. */
export function genStep(program: Program): StepFn<GenState> {
  return {
    next(s, ctx): Next {
      const o = program.ops[s.pc];
      if (!o) return { type: "complete", output: { pc: s.pc, seen: s.trail.length } };
      switch (o.type) {
        case "emit": {
          // A draw is recorded; its value never reaches state, so every life folds the same.
          const drew = o.random ? ctx.random() < 1 : false;
          const events = Array.from({ length: o.count }, (_, k) => ({
            type: "StateUpdated" as const,
            stepId: `op${s.pc}`,
            payload: { op: s.pc, k, drew, last: k === o.count - 1 },
          }));
          return { type: "emit", events };
        }
        case "call": {
          const input = { pc: s.pc };
          const action: Action =
            o.kind === "callTool"
              ? { type: "callTool", tool: `t${s.pc}`, input, onFailure: o.onFailure }
              : { type: "callLLM", provider: "p", input, onFailure: o.onFailure };
          return { type: "do", action };
        }
        case "sleep":
          return { type: "do", action: { type: "sleep", ms: o.ms } };
        case "signal":
          return { type: "do", action: { type: "waitSignal", name: `s${s.pc}` } };
        case "interrupt":
          return {
            type: "interrupt",
            value: { op: s.pc, cancel: o.cancel, stale: o.staleFirst },
          };
      }
    },
  };
}

/** Retries transient failures and rate limits: 10, 20 ms inline, then durable backoffs. */
export function genPolicy(program: Program): Policy {
  const budgets =
    program.maxToolCalls === undefined ? undefined : { maxToolCalls: program.maxToolCalls };
  return new RetryWithBackoffPolicy(new AllowAllPolicy(budgets), program.maxRetries, 10, {
    capMs: 10_000,
  });
}

/** Backoffs above this are durable waits. */
export const INLINE_RETRY_MAX_MS = 30;

/** One real execution the world saw. */
export interface Execution {
  runId: string;
  actionId: string;
  attempt: number;
  pc: number;
}

/**
 * Everything outside the process: the clock, the world the actions touch, and what the
 * environment (users sending signals and answers) remembers. It survives every crash.
 */
export class World implements ActionExecutor {
  readonly clock = new ManualClock(1_700_000_000_000);
  readonly executions: Execution[] = [];
  earlySent = 0;
  readonly staleTried = new Set<number>();
  #seed = 12345;
  readonly random = {
    next: (): number => {
      this.#seed = (this.#seed * 1103515245 + 12345) % 2147483648;
      return this.#seed / 2147483648;
    },
  };
  readonly #program: Program;

  constructor(program: Program) {
    this.#program = program;
  }

  execute(runId: string, action: Action, ctx: ExecuteContext): ActionResult {
    if (action.type !== "callTool" && action.type !== "callLLM") {
      throw new Error(`the world never runs ${action.type}`);
    }
    const pc = (action.input as { pc: number }).pc;
    this.executions.push({ runId, actionId: ctx.actionId, attempt: ctx.attempt, pc });
    const o = this.#program.ops[pc];
    const script = o?.type === "call" ? o.script : [];
    switch (script[ctx.attempt] ?? "ok") {
      case "ok": {
        const output: Json = { pc, attempt: ctx.attempt, actionId: ctx.actionId };
        if (action.type === "callLLM") output.usage = { total_tokens: 7 };
        return { type: "success", output };
      }
      case "transient":
        throw ActionError.transient(`t${pc} attempt ${ctx.attempt}: flaky`);
      case "rateInline":
        throw ActionError.rateLimited(`t${pc}: slow down`, 5);
      case "rateDurable":
        throw ActionError.rateLimited(`t${pc}: come back later`, 5_000);
      case "permanent":
        throw ActionError.permanent(`t${pc}: no such thing`);
      case "refused":
        return { type: "failure", error: `t${pc} refused` };
    }
  }
}

/** The ops whose signal is sent before the run starts. */
export const earlySignals = (program: Program): number[] =>
  program.ops.flatMap((o, j) => (o.type === "signal" && o.early ? [j] : []));

/**
 * The environment: sends early signals, then answers every block (interrupt, signal, timer,
 * backoff) until the run ends. A pure function of what the run waits on, so after a crash it
 * simply starts over with a fresh kernel; what it sent before is deduplicated or already moved on.
 */
export async function runEnvironment(
  kernel: Kernel<GenState>,
  runId: string,
  program: Program,
  world: World,
): Promise<RunStatus> {
  const early = earlySignals(program);
  while (world.earlySent < early.length) {
    const j = early[world.earlySent] as number;
    await kernel.signal(runId, initialGenState, `s${j}`, { sig: j }, `sig-${j}`, { drive: false });
    world.earlySent += 1;
  }
  let status = await kernel.runUntilBlocked(runId, initialGenState);
  for (let turns = 0; ; turns++) {
    if (turns > 1000) throw new Error(`run ${runId} never settles: ${JSON.stringify(status)}`);
    if (isTerminal(status)) return status;
    if (status.type !== "blocked") {
      status = await kernel.runUntilBlocked(runId, initialGenState);
      continue;
    }
    const b = status.blocked;
    if (b.interrupt) {
      const v = b.interrupt.value as { op: number; cancel: boolean; stale: boolean };
      if (v.stale && !world.staleTried.has(v.op)) {
        const stale = await kernel
          .resume(runId, initialGenState, "stale", { interruptId: `${b.interrupt.id}-stale` })
          .then(
            () => new Error("a resume of another interrupt was accepted"),
            (e: unknown) => e,
          );
        if (!NotBlockedError.is(stale)) throw stale;
        world.staleTried.add(v.op);
      }
      status = v.cancel
        ? await kernel.cancel(runId, initialGenState, `cancelled at op ${v.op}`)
        : await kernel.resume(
            runId,
            initialGenState,
            { answer: v.op },
            { interruptId: b.interrupt.id },
          );
    } else if (b.waitSignal !== undefined) {
      const j = Number(b.waitSignal.slice(1));
      const o = program.ops[j];
      const send = (drive: boolean) =>
        kernel.signal(runId, initialGenState, b.waitSignal as string, { sig: j }, `sig-${j}`, {
          drive,
        });
      if (o?.type === "signal" && o.duplicate) await send(false);
      status = await send(true);
    } else {
      const at = b.timerAt ?? b.retryAt ?? world.clock.now();
      world.clock.set(Math.max(world.clock.now(), at));
      status = await kernel.runUntilBlocked(runId, initialGenState);
    }
  }
}
