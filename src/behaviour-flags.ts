import { ValidationError } from "./errors.ts";
import type { EventOf } from "./events.ts";

/**
 * The behaviour flags: each names one change to how runlog decides, recorded in `RunStarted.flags`
 * of every run started since. A run keeps deciding the way it started: code reads the run's flags
 * (`ctx.hasFlag` in a workflow, `flagsOf` in a reducer) and keeps the old behaviour for a run
 * whose log lacks one, so a run recorded before a change still replays and verifies.
 */
export const BehaviourFlag = {
  /**
   * The agent loop hands tool outputs to the LLM as canonical JSON (keys sorted), the same text
   * whether the output came live or from a log read back; before it, `JSON.stringify` text.
   */
  AgentCanonicalToolText: "agent.canonicalToolText",
} as const;

/** The name of a behaviour flag. */
export type BehaviourFlag = (typeof BehaviourFlag)[keyof typeof BehaviourFlag];

/** Every flag this runlog knows, oldest first: what a run started now records. */
const CURRENT: readonly BehaviourFlag[] = [BehaviourFlag.AgentCanonicalToolText];

/**
 * What format-1 logs written before flags were recorded did: the release that first wrote
 * `format: 1` already gave the agent canonical tool text.
 */
const FORMAT_1: readonly BehaviourFlag[] = [BehaviourFlag.AgentCanonicalToolText];

const KNOWN: ReadonlySet<string> = new Set(Object.values(BehaviourFlag));

/** The flags a run started now records in its `RunStarted` (a fresh array). */
export function currentFlags(): string[] {
  return [...CURRENT];
}

/**
 * The flags a run decides by, read from its `RunStarted`: the recorded `flags`; for a log without
 * them, those its `format` implies (format 1: canonical tool text; no format: none).
 */
export function flagsOf(started: EventOf<"RunStarted">): readonly string[] {
  if (started.flags !== undefined) return started.flags;
  return (started.format ?? 0) >= 1 ? FORMAT_1 : [];
}

/**
 * Checks `RunStarted.flags` from outside: a list of distinct flag names this runlog knows. A flag
 * it does not know is a behaviour it cannot reproduce, so the log is refused rather than replayed
 * the wrong way.
 * @throws ValidationError naming `where` and the flag.
 */
export function assertFlags(value: unknown, where: string): void {
  if (!Array.isArray(value) || value.some((f) => typeof f !== "string" || f.length === 0)) {
    throw new ValidationError(`${where}: RunStarted.flags must be a list of flag names`);
  }
  const seen = new Set<string>();
  for (const flag of value as string[]) {
    if (seen.has(flag)) {
      throw new ValidationError(`${where}: RunStarted.flags holds ${JSON.stringify(flag)} twice`);
    }
    seen.add(flag);
    if (!KNOWN.has(flag)) {
      throw new ValidationError(
        `${where}: RunStarted.flags holds ${JSON.stringify(flag)}, a behaviour this runlog does not know (it knows ${[...KNOWN].join(", ")}): upgrade runlog to read this run`,
      );
    }
  }
}
