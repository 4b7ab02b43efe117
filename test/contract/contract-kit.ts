// The workflows and the tool the host contract suite needs besides the demos, registered by every
// host under test. The tool `contract.gate` is held in flight until the test lets it go, through a
// registry of gates in this module: the test and the host must share this module instance (one
// process, one page, or one workerd isolate, where the Durable Objects run beside the tests). In
// workerd the test lets a gate go from inside its object (`RunHostFixture.within`): a tool let go
// from the test's own context would go on in that context, where the object's storage is out of
// reach ("Cannot perform I/O on behalf of a different Durable Object").
import {
  type AbortSignalLike,
  type ActionExecutor,
  createExecutor,
  defineTool,
  type Json,
  s,
  type Tool,
  type Workflow,
  workflow,
} from "runlog";
import { demoProvider, demoTools } from "runlog/demos";

/** One execution of `contract.gate`, as the test sees it. */
export interface GateEntry {
  runId: string;
  actionId: string;
  key: string;
  attempt: number;
  /** The handler's `ctx.signal` aborted while it was waiting. */
  sawAbort: boolean;
  /** The handler has answered (after its release, or at once on an abort with `onAbort: "answer"`). */
  answered: boolean;
}

interface Waiter {
  entry: GateEntry;
  go: () => void;
}

/**
 * The gates of `contract.gate`, by run: what entered, what is still waiting, how many handlers of
 * one run were running at the same time. Module-level, so that a host and its test share it.
 */
export class Gates {
  readonly #entries = new Map<string, GateEntry[]>();
  readonly #waiting = new Set<Waiter>();
  readonly #running = new Map<string, number>();
  readonly #peak = new Map<string, number>();
  readonly #open = new Set<string>();

  /** The run's executions of the gate so far, in the order they entered (copies). */
  entered(runId: string): GateEntry[] {
    return (this.#entries.get(runId) ?? []).map((e) => ({ ...e }));
  }

  /** The most handlers of the run that were waiting at the gate at the same time. */
  peak(runId: string): number {
    return this.#peak.get(runId) ?? 0;
  }

  /** Lets go the run's waiting executions (of `key` only, when given); answers how many. */
  release(runId: string, key?: string): number {
    return this.#letGo((e) => e.runId === runId && (key === undefined || e.key === key));
  }

  /** Lets go one execution: the run's `index`-th to enter (from 0). */
  releaseEntry(runId: string, index: number): number {
    const entry = this.#entries.get(runId)?.[index];
    return this.#letGo((e) => e === entry);
  }

  /** The runs whose executions have come to the gate, and that are not open yet. */
  closedRuns(): string[] {
    return [...this.#entries.keys()].filter((runId) => !this.#open.has(runId));
  }

  /**
   * Lets the run's waiting executions go and every later one pass at once: a test's cleanup, so
   * that no host is left stuck on a gate and cannot close.
   */
  open(runId: string): number {
    this.#open.add(runId);
    return this.release(runId);
  }

  /**
   * Forgets the run's waiting executions without letting them go: they belonged to a host whose
   * memory is gone (an evicted Durable Object), so nothing of them may run again.
   */
  drop(runId: string): number {
    const mine = [...this.#waiting].filter((w) => w.entry.runId === runId);
    for (const waiter of mine) this.#waiting.delete(waiter);
    return mine.length;
  }

  /** The handler's side: records the entry and waits until it is let go or its signal aborts. */
  async pass(entry: GateEntry, signal: AbortSignalLike, onAbort: "answer" | "hold"): Promise<void> {
    const list = this.#entries.get(entry.runId) ?? [];
    this.#entries.set(entry.runId, list);
    list.push(entry);
    const running = (this.#running.get(entry.runId) ?? 0) + 1;
    this.#running.set(entry.runId, running);
    this.#peak.set(entry.runId, Math.max(running, this.peak(entry.runId)));
    try {
      await new Promise<void>((resolve) => {
        if (this.#open.has(entry.runId)) {
          resolve();
          return;
        }
        const waiter: Waiter = { entry, go: resolve };
        this.#waiting.add(waiter);
        const aborted = () => {
          entry.sawAbort = true;
          if (onAbort === "answer") {
            this.#waiting.delete(waiter);
            resolve();
          }
        };
        if (signal.aborted) aborted();
        else signal.addEventListener("abort", aborted, { once: true });
      });
    } finally {
      entry.answered = true;
      this.#running.set(entry.runId, (this.#running.get(entry.runId) ?? 1) - 1);
    }
  }

  #letGo(which: (e: GateEntry) => boolean): number {
    let n = 0;
    for (const waiter of [...this.#waiting]) {
      if (!which(waiter.entry)) continue;
      this.#waiting.delete(waiter);
      waiter.go();
      n += 1;
    }
    return n;
  }
}

/** The gates every host in this module instance uses. */
export const gates = new Gates();

/**
 * `contract.gate {key, onAbort?}` → `{key, actionId, aborted}`: waits until the test releases it.
 * When its signal aborts it records that it saw it and, with `onAbort: "answer"` (the default),
 * answers at once as if it had succeeded; with `"hold"` it goes on waiting for its release, as a
 * tool that ignores the signal does. Either way, nothing it answers after a cancel may be recorded.
 */
export const gateTool = defineTool({
  name: "contract.gate",
  description: "Waits until the test releases it or its signal aborts.",
  input: s.object({ key: s.string({ min: 1 }), onAbort: s.optional(s.string()) }),
  handler: async ({ key, onAbort }, ctx) => {
    const entry: GateEntry = {
      runId: ctx.runId,
      actionId: ctx.actionId,
      key,
      attempt: ctx.attempt,
      sawAbort: false,
      answered: false,
    };
    await gates.pass(entry, ctx.signal, onAbort === "hold" ? "hold" : "answer");
    return { key, actionId: ctx.actionId, aborted: entry.sawAbort };
  },
});

const KEYS = ["a", "b", "c"] as const;

/** `contract.one {key, onAbort?}`: one gated tool call; its output is the run's. */
const one = workflow<{ key: string; onAbort?: string | undefined }, Json>(
  "contract.one",
  1,
  function* one(ctx, input) {
    return yield* ctx.tool("contract.gate", {
      key: input.key,
      ...(input.onAbort === undefined ? {} : { onAbort: input.onAbort }),
    });
  },
  { input: s.object({ key: s.string({ min: 1 }), onAbort: s.optional(s.string()) }) },
);

/** `contract.parallel-async`: `Promise.all` of three gated calls (keys a, b, c), in that order. */
const parallelAsync = workflow<Json, Json>("contract.parallel-async", 1, async (ctx) => {
  return await Promise.all(KEYS.map((key) => ctx.tool("contract.gate", { key })));
});

/** `contract.parallel-generator`: the same with `ctx.all` in a generator. */
const parallelGenerator = workflow<Json, Json>(
  "contract.parallel-generator",
  1,
  function* parallelGenerator(ctx) {
    return (yield* ctx.all(KEYS.map((key) => ctx.tool("contract.gate", { key })))) as Json[];
  },
);

/** `contract.collect {count}`: waits for `count` signals named `item`; answers their values. */
const collect = workflow<{ count: number }, Json>(
  "contract.collect",
  1,
  function* collect(ctx, input) {
    const values: Json[] = [];
    for (let i = 0; i < input.count; i++) values.push(yield* ctx.waitSignal("item"));
    return values;
  },
  { input: s.object({ count: s.number({ min: 1, int: true }) }) },
);

/** `contract.versioned` version `v`: waits for signal `go`, then answers `{version: v, value}`. */
const versioned = (version: number) =>
  workflow<Json, Json>("contract.versioned", version, function* versioned(ctx) {
    const value = yield* ctx.waitSignal("go");
    return { version, value };
  });

/**
 * The contract's workflows: `contract.one`, `contract.parallel-async`,
 * `contract.parallel-generator`, `contract.collect` and `contract.versioned` v1, plus its v2 with
 * `v2: true` (a host deployed after the workflow changed).
 */
// biome-ignore lint/suspicious/noExplicitAny: a host runs workflows of every input and state type.
export function contractWorkflows(options: { v2?: boolean } = {}): Workflow<any, any>[] {
  return [
    one,
    parallelAsync,
    parallelGenerator,
    collect,
    versioned(1),
    ...(options.v2 ? [versioned(2)] : []),
  ];
}

/** The contract's tools: `contract.gate`. */
export function contractTools(): Tool[] {
  return [gateTool as unknown as Tool];
}

/** An executor of the demo tools, the contract's tools and the demos' scripted provider. */
export function contractExecutor(): ActionExecutor {
  const tools = demoTools();
  for (const tool of contractTools()) tools.register(tool);
  return createExecutor({ tools, providers: [demoProvider()] });
}

/**
 * What hosts made from now on in this module instance deploy: with `v2`, `contract.versioned`
 * v2 too. For hosts the runtime constructs (a Durable Object after its eviction), which cannot be
 * handed options; a test that sets it puts it back when it ends.
 */
export const contractDeployment = { v2: false };
