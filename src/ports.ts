/** Where the kernel reads the time: ms since the epoch. */
export interface Clock {
  now(): number;
}

/** Where the kernel draws randomness: a float in [0, 1). */
export interface Random {
  next(): number;
}

/** How the kernel waits for a short in-loop retry backoff. */
export interface Scheduler {
  sleep(ms: number): Promise<void>;
}

declare function setTimeout(callback: () => void, ms: number): unknown;

/** The system clock (`Date.now`). */
export const systemClock: Clock = { now: () => Date.now() };

/** `Math.random`. */
export const systemRandom: Random = { next: () => Math.random() };

/** `setTimeout`, which browsers, Workers and Node all provide. */
export const timerScheduler: Scheduler = {
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** A clock that moves only when told: for tests and for replay. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start = 0) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.#now += ms;
  }
  /** Sets the clock to `ms`. */
  set(ms: number): void {
    this.#now = ms;
  }
}

/** Where the host gets ids for runs and signals started without one. */
export interface IdSource {
  newId(): string;
}

declare const crypto: { randomUUID(): string };

/** `crypto.randomUUID()`, which browsers, Workers and Node all provide. */
export const systemIds: IdSource = { newId: () => crypto.randomUUID() };

/** Ids `<prefix>-1`, `<prefix>-2`, …: for tests that pin them. */
export function countingIds(prefix = "id"): IdSource {
  let n = 0;
  return { newId: () => `${prefix}-${++n}` };
}

/**
 * What makes one writer per run beyond this process: each batch of a run's commands (and the
 * drive they start) runs inside `hold`. In one process, or in a Durable Object (whose input gate
 * already admits one request at a time), nothing more is needed; tabs of one browser share a
 * Web Lock. `expectedHead` stays the last line either way.
 */
export interface RunLock {
  hold<T>(runId: string, work: () => Promise<T>): Promise<T>;
}

/** The lock of a single process: the run's mailbox already serializes its work. */
export const processLock: RunLock = { hold: (_runId, work) => work() };
