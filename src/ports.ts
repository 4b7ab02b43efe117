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
