import { KernelError } from "./errors.ts";

/** How a kernel treats the world: `replay` and `verify` never execute and trap clock and randomness. */
export const KernelMode = {
  Normal: "normal",
  Record: "record",
  Replay: "replay",
  Verify: "verify",
} as const;
export type KernelMode = (typeof KernelMode)[keyof typeof KernelMode];

const LABEL: Record<KernelMode, string> = {
  normal: "Normal",
  record: "Record",
  replay: "Replay",
  verify: "Verify",
};

/** True for the modes that re-drive a recorded log instead of touching the world. */
export function isReplaying(mode: KernelMode): boolean {
  return mode === "replay" || mode === "verify";
}

/**
 * Traps what would make a replay differ from the recording: the clock, randomness and spawning
 * of work, in `replay` and `verify` mode.
 */
export class DeterminismGuard {
  readonly mode: KernelMode;
  constructor(mode: KernelMode) {
    this.mode = mode;
  }
  /** @throws KernelError (code `determinism`) in replay and verify mode. */
  checkClockAccess(): void {
    this.#check("clock access");
  }
  /** @throws KernelError (code `determinism`) in replay and verify mode. */
  checkRandomAccess(): void {
    this.#check("random access");
  }
  /** @throws KernelError (code `determinism`) in replay and verify mode. */
  checkSpawn(): void {
    this.#check("spawning work");
  }
  #check(what: string): void {
    if (isReplaying(this.mode)) {
      throw new KernelError("determinism", `${what} is not allowed in ${LABEL[this.mode]} mode`);
    }
  }
}
