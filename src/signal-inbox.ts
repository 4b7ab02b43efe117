import { canonicalJson } from "./canonical-json.ts";
import { KernelError } from "./errors.ts";
import type { Json } from "./json.ts";

/** A signal as it was (or would be) recorded: the part its id must always name the same. */
export interface SignalContent {
  name: string;
  value: Json;
}

/**
 * The conflict of a signal whose id was used for another signal (another name or value): a
 * repeat must be the same signal, else the second would be dropped while its sender hears "ok".
 */
export function reusedIdError(
  runId: string,
  signalId: string,
  recorded: SignalContent,
  given: SignalContent,
): KernelError | undefined {
  const what =
    recorded.name !== given.name
      ? `signal ${recorded.name}, not ${given.name}`
      : canonicalJson(recorded.value) !== canonicalJson(given.value)
        ? `signal ${recorded.name} with another value`
        : undefined;
  if (what === undefined) return undefined;
  return new KernelError(
    "conflict",
    `run ${runId}: signal id ${signalId} was already used for ${what}; nothing was recorded (a new signal needs a new id)`,
  );
}
