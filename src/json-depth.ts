import { ValidationError } from "./errors.ts";

/**
 * How deep a value from outside (a run's input, a resume or signal value, a forked event's
 * payload) may nest arrays and objects. Far deeper values break recursive code on some runtimes
 * (canonical JSON, structured clone across Workers RPC), so they are refused where they come in.
 */
export const MAX_JSON_DEPTH = 128;

/**
 * The nesting depth of a JSON value: 0 for a scalar, 1 for `[]` or `{}` or `[1]`, 2 for `[[1]]`.
 * It walks the value without recursion, so any depth is measured safely, and stops as soon as
 * the depth passes `stopAbove`.
 */
export function jsonDepth(value: unknown, stopAbove = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== "object" || v === null) continue;
    const inner = depth + 1;
    if (inner > deepest) {
      deepest = inner;
      if (deepest > stopAbove) return deepest;
    }
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const child of children)
      if (typeof child === "object" && child !== null) stack.push([child, inner]);
  }
  return deepest;
}

/**
 * Refuses a value that nests arrays and objects deeper than `max` (default `MAX_JSON_DEPTH`).
 * @throws ValidationError naming `what` and the limit.
 */
export function assertJsonDepth(value: unknown, what: string, max = MAX_JSON_DEPTH): void {
  if (jsonDepth(value, max) > max) {
    throw new ValidationError(
      `${what} nests arrays and objects more than ${max} levels deep; at most ${max} are allowed`,
    );
  }
}
