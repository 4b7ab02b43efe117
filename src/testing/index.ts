/**
 * runlog/testing: what a test of a workflow needs, the way runlog's own tests do it. Time you
 * move by hand (`ManualClock`), a waker that never fires by itself (`manualWaker`: the test
 * wakes runs), the scripted LLM provider (offline, deterministic), a harness that crashes a run
 * at every commit and action and checks that each recovery ends where the crash-free run does
 * (`crashAtEveryPoint`, with its parts for store authors), the log's invariants (`logProblems`)
 * and golden logs (`checkGoldenLog`: a recorded run still replays and verifies). Nothing here
 * needs a test runner: a failure is a thrown error.
 *
 * ```ts
 * const clock = new ManualClock(0);
 * const host = createMemoryHost({ workflows: [reminder], executor, clock, waker: manualWaker });
 * const { runId } = await host.start("reminder", { inMs: 60_000 }, { wait: true });
 * clock.advance(60_000);
 * await host.wake(runId);
 * ```
 */

export { manualWaker } from "../host/waker.ts";
export type { Script, ScriptedProviderOptions, ScriptedTurn } from "../llm/scripted-provider.ts";
export { createScriptedProvider, scriptedTurn } from "../llm/scripted-provider.ts";
export { ManualClock } from "../ports.ts";
export type { CrashTestOptions, CrashTestReport } from "./crash-every-point.ts";
export { CrashRecoveryError, crashAtEveryPoint } from "./crash-every-point.ts";
export type { BeforeExecute, CrashPoint } from "./crash-plan.ts";
export { CrashingExecutor, CrashingStore, CrashPlan, Life, SimulatedCrash } from "./crash-plan.ts";
export type { GoldenLogOptions, GoldenLogResult } from "./golden-log.ts";
export { checkGoldenLog, GoldenLogError } from "./golden-log.ts";
export { logProblems } from "./log-problems.ts";
