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

describe("host memory", () => {
  it("lets the state of a run that waits be collected, and restores it for the next call", async () => {
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
    const store = SqliteStore.open(join(dir, "held.db"));
    const host = createHost({ store, workflows: [waits] });
    for (let i = 0; i < 20; i++) {
      await host.start("waits", { text: "x".repeat(10_000) }, { runId: `w${i}`, wait: true });
    }
    expect((await host.get("w0")).status).toBe("blocked");
    for (let round = 0; round < 3; round++) {
      await new Promise((r) => setTimeout(r, 0));
      gc();
    }
    expect(states.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    const done = await host.signal("w7", "go", "now", { wait: true });
    expect(done).toMatchObject({ status: "completed", output: "now" });
    await host.close();
    store.close();
  });
});
