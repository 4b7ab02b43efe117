// A host holds no waiting run in memory: once a drive blocks (or the run ends) its state can be
// collected, and the next call restores it from the store. Thousands of runs waiting on a human
// must not keep their inputs and states in the process.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createHost, defineWorkflow, next } from "runlog";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../adapters/node/index.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const dir = mkdtempSync(join(tmpdir(), "runlog-memory-held-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type State = { input: string; got?: string };

/** A workflow that waits for `go`, with every state it makes tracked by a weak reference. */
function waitsTracked() {
  const states: WeakRef<State>[] = [];
  const track = (state: State) => (states.push(new WeakRef(state)), state);
  const waits = defineWorkflow<{ text: string }, State>({
    name: "waits",
    init: (input) => track({ input: input.text }),
    step: (state) =>
      state.got === undefined
        ? next.do({ type: "waitSignal", name: "go" })
        : next.complete(state.got),
    reduce: (state, se) =>
      se.event.type === "ActionSucceeded"
        ? track({ ...state, got: String((se.event.output as { value: unknown }).value) })
        : track({ ...state }),
  });
  return { states, waits };
}

async function collect(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await new Promise((r) => setTimeout(r, 0));
    gc();
  }
}

describe("host memory", () => {
  it("with maxIdleRuns 0, lets the state of a run that waits be collected, and restores it for the next call", async () => {
    const { states, waits } = waitsTracked();
    const store = SqliteStore.open(join(dir, "held.db"));
    const host = createHost({ store, workflows: [waits], maxIdleRuns: 0 });
    for (let i = 0; i < 20; i++) {
      await host.start("waits", { text: "x".repeat(10_000) }, { runId: `w${i}`, wait: true });
    }
    expect((await host.get("w0")).status).toBe("blocked");
    await collect();
    expect(states.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    const done = await host.signal("w7", "go", "now", { wait: true });
    expect(done).toMatchObject({ status: "completed", output: "now" });
    await host.close();
    store.close();
  });

  it("holds at most maxIdleRuns waiting runs (default 64), the most recently active", async () => {
    const { states, waits } = waitsTracked();
    const store = SqliteStore.open(join(dir, "held-default.db"));
    const host = createHost({ store, workflows: [waits] });
    for (let i = 0; i < 150; i++) {
      await host.start("waits", { text: "x".repeat(10_000) }, { runId: `d${i}`, wait: true });
    }
    await collect();
    // A held run keeps its initial state and its current one: 2 per run, 64 runs at most.
    const alive = states.filter((ref) => ref.deref() !== undefined).length;
    expect(alive).toBeGreaterThan(0);
    expect(alive).toBeLessThanOrEqual(2 * 64);
    const done = await host.signal("d0", "go", "later", { wait: true });
    expect(done).toMatchObject({ status: "completed", output: "later" });
    await host.close();
    store.close();
  });
});
