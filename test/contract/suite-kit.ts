// What the host contract suite's files share: the fixture a host under test is given as, and
// small helpers. The suite itself is run-host-suite.ts.
import type { RunHost, RunInfo, SequencedEvent } from "runlog";

/** How a restart may change what the new host deploys. */
export interface RestartOptions {
  /** The new host also has `contract.versioned` v2 (it was deployed after the workflow changed). */
  upgrade?: boolean;
}

/** One host to test, and how to restart it on the same storage when it can be restarted. */
export interface RunHostFixture {
  host: RunHost;
  /**
   * Stops this host as a process that dies would (what it has in flight is abandoned, never
   * awaited) and gives a new one on the same storage, after its recovery ran. It is told the runs
   * the test made, for hosts that restart per run (a Durable Object is evicted).
   */
  restart?: (runIds: string[], options?: RestartOptions) => Promise<RunHost>;
  /**
   * Runs `work` where the host of run `runId` runs: the test releases the contract's gates there,
   * so that a released tool goes on in its host's own context (a Durable Object's). Default: here.
   */
  within?: <T>(runId: string, work: () => T) => Promise<T>;
  /** Frees what the fixture holds (the host it ends with, files, databases). */
  close(): Promise<void>;
}

/** What the suite's cases share: the fixture of the test and the waits, all with patience. */
export interface SuiteKit {
  patienceMs: number;
  timeout: number;
  fixture(): Promise<RunHostFixture>;
  until(
    host: RunHost,
    runId: string,
    done: (run: RunInfo) => boolean,
    what: string,
  ): Promise<RunInfo>;
  blocked(host: RunHost, runId: string): Promise<RunInfo>;
  ended(host: RunHost, runId: string): Promise<RunInfo>;
  /** Polls `probe` until it gives a value other than undefined or false. */
  eventually<T>(what: string, probe: () => T | Promise<T>): Promise<Exclude<T, undefined | false>>;
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const typesOf = (events: readonly SequencedEvent[]) => events.map((e) => e.event.type);
let counter = 0;
export const freshId = (what: string) =>
  `${what}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
/** Runs `work` where the fixture's host of `runId` runs. */
export const within = <T>(fixture: RunHostFixture, runId: string, work: () => T): Promise<T> =>
  fixture.within ? fixture.within(runId, work) : Promise.resolve().then(work);
