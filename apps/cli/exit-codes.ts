/** The exit codes scripts can rely on. */
export const ExitCode = {
  Ok: 0,
  /** The operation ran and failed: a verify mismatch, a failed run, a server error. */
  Failed: 1,
  /** The command line is wrong, or the input it names is invalid. */
  Usage: 2,
  NotFound: 3,
  /** The run is not in a state that allows it (not waiting, already ended, id taken). */
  Conflict: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports in one line, with the exit code it ends with. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly code: string;
  constructor(exitCode: ExitCode, code: string, message: string) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
    this.code = code;
  }
}

/** A wrong command line: exit 2, with the command's usage printed after the message. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(ExitCode.Usage, "usage", message);
    this.name = "UsageError";
  }
}

/** The exit code of each kernel error code. */
export const BY_CODE: Readonly<Record<string, ExitCode>> = {
  validation: ExitCode.Usage,
  run_not_found: ExitCode.NotFound,
  not_found: ExitCode.NotFound,
  not_blocked: ExitCode.Conflict,
  conflict: ExitCode.Conflict,
  concurrency: ExitCode.Conflict,
  workflow_unavailable: ExitCode.Conflict,
};

/** The exit code of an HTTP error status and its body's code. */
export function exitCodeOfStatus(status: number, code: string): ExitCode {
  if (BY_CODE[code] !== undefined) return BY_CODE[code];
  if (status === 404) return ExitCode.NotFound;
  if (status === 409) return ExitCode.Conflict;
  if (status === 400 || status === 413 || status === 415) return ExitCode.Usage;
  return ExitCode.Failed;
}
