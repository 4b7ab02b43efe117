/**
 * runlog/testing: what a test of a workflow needs, the way runlog's own tests do it. Time you
 * move by hand (`ManualClock`), a waker that never fires by itself (`manualWaker`: the test
 * wakes runs), the scripted LLM provider (offline, deterministic), a harness that crashes a run
 * at every commit and action and checks each recovery ends where a crash-free run does, and
 * golden-log checks (a recorded NDJSON log replays to the same state and hash). Nothing here
 * needs a test runner: failures are thrown errors.
 *
 * ```ts
 * const clock = new ManualClock(0);
 * const host = createMemoryHost({ workflows: [myFlow], executor, clock, waker: manualWaker });
 * const { runId } = await host.start("my.flow", {});
 * clock.advance(60_000);
 * await host.wake(runId);
 * ```
 */

export { manualWaker } from "../host/waker.ts";
export type { Script, ScriptedProviderOptions, ScriptedTurn } from "../llm/scripted-provider.ts";
export { createScriptedProvider, scriptedTurn } from "../llm/scripted-provider.ts";
export { ManualClock } from "../ports.ts";
