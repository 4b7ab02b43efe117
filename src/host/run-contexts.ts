import type { ActionExecutor } from "../actions.ts";
import { KernelError, RunNotFoundError, ValidationError } from "../errors.ts";
import type { HostStore } from "../event-store.ts";
import { type DriveOutcome, Kernel } from "../kernel.ts";
import { AllowAllPolicy, type Policy } from "../policy.ts";
import { type Clock, type Random, type RunLock, type Scheduler, systemRandom } from "../ports.ts";
import type { SignalLimits } from "../signal-limits.ts";
import type { Workflow } from "../workflow/workflow.ts";
import type { WorkflowRegistry } from "../workflow/workflow-registry.ts";
import { withBudgets } from "./budget-policy.ts";

/** A run as its host drives it: its workflow (if the host has its version), kernel and start. */
export interface RunContext {
  // biome-ignore lint/suspicious/noExplicitAny: a host runs workflows of every input and state type.
  workflow: Workflow<any, any> | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: see above.
  kernel: Kernel<any>;
  initial: unknown;
  name: string;
  version: number;
}

/** What the kernels of a host share. */
export interface KernelParts {
  store: HostStore;
  clock: Clock;
  executor?: ActionExecutor | undefined;
  policy?: Policy | undefined;
  random?: Random | undefined;
  scheduler?: Scheduler | undefined;
  lock?: RunLock | undefined;
  conflictRetries?: number | undefined;
  snapshotEvery?: number | undefined;
  maxLiveRuns?: number | undefined;
  signalLimits?: SignalLimits | undefined;
  onSettled(runId: string, outcome: DriveOutcome): void;
}

/** How many runs' contexts (initial state included) a host keeps between calls. */
const MAX_CONTEXTS = 256;

const noExecutor: ActionExecutor = {
  execute: (_runId, action) => ({
    type: "failure",
    error: { kind: "permanent", message: `this host has no executor for ${action.type}` },
  }),
};

/**
 * The host's kernels (one per workflow version, plus a bare one that can only cancel runs whose
 * workflow is gone) and the contexts of the runs in use, least recently used out first.
 */
export class RunContexts {
  readonly #parts: KernelParts;
  readonly #registry: WorkflowRegistry;
  // biome-ignore lint/suspicious/noExplicitAny: see RunContext.
  readonly #kernels = new Map<string, Kernel<any>>();
  readonly #contexts = new Map<string, RunContext>();

  constructor(parts: KernelParts, registry: WorkflowRegistry) {
    this.#parts = parts;
    this.#registry = registry;
  }

  /** Every kernel made so far. */
  // biome-ignore lint/suspicious/noExplicitAny: see RunContext.
  kernels(): Kernel<any>[] {
    return [...this.#kernels.values()];
  }

  /** The context held for the run, if any, without reading the store. */
  peek(runId: string): RunContext | undefined {
    return this.#contexts.get(runId);
  }

  /** Forgets the run's context (its kernel keeps nothing of it either). */
  delete(runId: string, ctx?: RunContext): void {
    const held = this.#contexts.get(runId);
    if (ctx !== undefined && held !== undefined && held !== ctx) return;
    for (const kernel of this.#kernels.values()) kernel.forget(runId);
    this.#contexts.delete(runId);
  }

  /**
   * The run's workflow, kernel and initial state, from its `RunStarted`; kept for the next call
   * unless `keep` is false.
   * @throws RunNotFoundError for an unknown run; ValidationError when it was not started by a host.
   */
  async get(runId: string, keep = true): Promise<RunContext> {
    const cached = this.#contexts.get(runId);
    if (cached) {
      this.#contexts.delete(runId);
      this.#contexts.set(runId, cached);
      return cached;
    }
    const [first] = await this.#parts.store.read(runId, 1, 1);
    if (!first) throw new RunNotFoundError(runId);
    if (first.event.type !== "RunStarted") {
      throw new ValidationError(
        `run ${runId} was not started by a host (its first event is ${first.event.type})`,
      );
    }
    const { workflow: name, version, input } = first.event;
    const workflow = this.#registry.get(name, version);
    const ctx: RunContext = workflow
      ? { workflow, kernel: this.kernel(workflow), initial: workflow.init(input), name, version }
      : { workflow: undefined, kernel: this.#bareKernel(), initial: null, name, version };
    if (workflow && keep) {
      this.#contexts.set(runId, ctx);
      if (this.#contexts.size > MAX_CONTEXTS) {
        const oldest = this.#contexts.keys().next().value;
        if (oldest !== undefined && oldest !== runId) this.#contexts.delete(oldest);
      }
    }
    return ctx;
  }

  /** The kernel of a workflow version, made on first use. */
  // biome-ignore lint/suspicious/noExplicitAny: see RunContext.
  kernel(workflow: Workflow<any, any>): Kernel<any> {
    const key = `${workflow.name}@${workflow.version}`;
    let kernel = this.#kernels.get(key);
    if (!kernel) {
      const p = this.#parts;
      kernel = new Kernel({
        ...this.#shared(),
        snapshots: p.store,
        reducer: workflow.reducer,
        step: workflow.step,
        executor: p.executor ?? noExecutor,
        policy: withBudgets(p.policy ?? new AllowAllPolicy(), workflow.budgets),
        random: p.random ?? systemRandom,
        ...(p.scheduler ? { scheduler: p.scheduler } : {}),
        ...(p.snapshotEvery ? { snapshotEvery: p.snapshotEvery } : {}),
        ...(p.maxLiveRuns === undefined ? {} : { maxLiveRuns: p.maxLiveRuns }),
        ...(p.signalLimits ? { signalLimits: p.signalLimits } : {}),
        ...(workflow.stateVersion ? { stateVersion: workflow.stateVersion } : {}),
        ...(workflow.snapshotGrowth ? { snapshotGrowth: workflow.snapshotGrowth } : {}),
        ...(workflow.snapshotBytes ? { snapshotBytes: workflow.snapshotBytes } : {}),
        ...(workflow.migrations ? { migrations: workflow.migrations } : {}),
      });
      this.#kernels.set(key, kernel);
    }
    return kernel;
  }

  #shared() {
    const p = this.#parts;
    return {
      events: p.store,
      clock: p.clock,
      onSettled: p.onSettled,
      ...(p.lock ? { lock: p.lock } : {}),
      ...(p.conflictRetries === undefined ? {} : { conflictRetries: p.conflictRetries }),
    };
  }

  /** A kernel that can record a cancellation for a run whose workflow is gone, and nothing else. */
  // biome-ignore lint/suspicious/noExplicitAny: see RunContext.
  #bareKernel(): Kernel<any> {
    let kernel = this.#kernels.get("");
    if (!kernel) {
      kernel = new Kernel<unknown>({
        ...this.#shared(),
        reducer: { apply: (s) => s },
        step: {
          next: () => {
            throw new KernelError("workflow_unavailable", "this run's workflow is not registered");
          },
        },
        executor: noExecutor,
      });
      this.#kernels.set("", kernel);
    }
    return kernel;
  }
}
