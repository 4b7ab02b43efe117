import type { Backend } from "./backend.ts";
import { UsageError } from "./exit-codes.ts";
import type { Output } from "./output.ts";
import type { Progress } from "./progress.ts";

/** One option of a command, as `--help` shows it and `parseArgs` reads it. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** The placeholder `--help` shows for a string's value. */
  value?: string;
  help: string;
}

/** What a command is given when it runs. */
export interface CommandContext {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  out: Output;
  progress: Progress;
  env: Readonly<Record<string, string | undefined>>;
  /** Opens the database or the server (once); `write` lets a missing database file be created. */
  backend(options?: { write?: boolean }): Promise<Backend>;
  /** The text of a file, or of stdin for `-`. */
  readText(path: string): Promise<string>;
}

/** A CLI command: its help and what it does. `run` returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  /** The positional arguments as usage shows them, e.g. `<runId> [value]`. */
  args: string;
  /** How many positionals it takes: `[min, max]`. */
  arity: [number, number];
  options: Record<string, OptionSpec>;
  details?: string;
  examples: string[];
  run(ctx: CommandContext): Promise<number>;
}

/** A string option's value, or `undefined`. */
export function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === "string" ? v : undefined;
}

/** A boolean option's value. */
export function flag(ctx: CommandContext, name: string): boolean {
  return ctx.values[name] === true;
}

/**
 * A whole number option, or `fallback`.
 * @throws UsageError for anything but a whole number at least `min`.
 */
export function int(
  ctx: CommandContext,
  name: string,
  fallback: number | undefined,
  min = 1,
): number | undefined {
  const raw = str(ctx, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(`--${name} must be a whole number >= ${min}, got ${raw}`);
  return n;
}

/**
 * Parses a JSON value given on the command line; `@path` reads it from a file (`@-`: stdin).
 * @throws UsageError naming `what` when it is not JSON.
 */
export async function jsonArg(ctx: CommandContext, raw: string, what: string): Promise<unknown> {
  const text = raw.startsWith("@") ? await ctx.readText(raw.slice(1)) : raw;
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(
      `${what} is not JSON: ${JSON.stringify(text.slice(0, 60))} (a string needs quotes, e.g. '"yes"')`,
    );
  }
}

/** The positional at `i` (arity guarantees the required ones). */
export function arg(ctx: CommandContext, i: number): string {
  return ctx.positionals[i] as string;
}
