import { ValidationError } from "../errors.ts";

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const SIGNAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** True for a run id a host accepts: 1-128 of `A-Z a-z 0-9 . _ : -`, starting with a letter or digit. */
export function isRunId(value: unknown): value is string {
  return typeof value === "string" && RUN_ID.test(value);
}

/** @throws ValidationError naming the bad run id. */
export function assertRunId(value: unknown): asserts value is string {
  if (!isRunId(value)) {
    throw new ValidationError(
      `run id ${JSON.stringify(String(value)).slice(0, 140)} must be 1-128 letters, digits, dots, colons, dashes or underscores, starting with a letter or digit`,
    );
  }
}

/** True for a signal name: 1-100 of `A-Z a-z 0-9 . _ : -`, starting with a letter or digit. */
export function isSignalName(value: unknown): value is string {
  return typeof value === "string" && SIGNAL_NAME.test(value);
}
