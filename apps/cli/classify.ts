// Kept apart from exit-codes.ts so the core loads only when a command failed: `--help` and a
// usage error start without it.
import { KernelError } from "../../src/index.ts";
import { BY_CODE, CliError, ExitCode } from "./exit-codes.ts";

/** The exit code and error code for anything a command threw. */
export function classify(error: unknown): { exitCode: ExitCode; code: string; message: string } {
  if (error instanceof CliError)
    return { exitCode: error.exitCode, code: error.code, message: error.message };
  if (KernelError.is(error)) {
    return {
      exitCode: BY_CODE[error.code] ?? ExitCode.Failed,
      code: error.code,
      message: error.message,
    };
  }
  return {
    exitCode: ExitCode.Failed,
    code: "error",
    message: (error as Error)?.message ?? String(error),
  };
}
