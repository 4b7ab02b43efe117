import type { z } from "zod";
import { ApiError } from "./api-error.ts";

/** Where a value came from, as messages name it. */
export type InputPart = "path parameter" | "query parameter" | "header" | "body";

/**
 * Parses `value` with `schema`, or throws a 400 whose message names each bad field and what is
 * wrong with it, e.g. `body field workflow: expected string, received number`.
 * @throws ApiError 400 naming the fields.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: InputPart,
): z.output<S> {
  const result = schema.safeParse(value, { error: messageOf });
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path
      .map((key, i) =>
        typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`,
      )
      .join("");
    const where = path === "" ? part : part === "body" ? `body field ${path}` : `${part} ${path}`;
    return `${where}: ${issue.message.replace(/^Invalid input: /, "")}`;
  });
  throw new ApiError(400, "validation", [...new Set(problems)].join("; "));
}

/** Clearer words than zod's defaults for the two commonest problems; the rest keep zod's. */
function messageOf(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === "invalid_type" && issue.input === undefined) return "is required";
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => JSON.stringify(k).slice(0, 60)).join(", ");
    return `unknown field${issue.keys.length > 1 ? "s" : ""} ${keys}`;
  }
  return undefined;
}
