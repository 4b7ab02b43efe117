import type { RunSummary } from "../run-index.ts";
import type { RunStatus } from "../run-status.ts";
import type { RunInfo } from "./run-info.ts";

/** Builds a `RunInfo` from the index summary and, when the workflow is known, the live status. */
export function runInfo(
  summary: RunSummary,
  status: RunStatus | undefined,
  error: { code: string; message: string } | undefined,
): RunInfo {
  const info: RunInfo = {
    runId: summary.runId,
    workflow: summary.workflow ?? "",
    version: summary.version ?? 0,
    status: status?.type ?? summary.status,
    head: summary.head,
    createdAt: summary.createdAt,
    updatedAt: summary.updatedAt,
  };
  if (status?.type === "blocked") info.blocked = status.blocked;
  if (status?.type === "completed" && status.output !== undefined) info.output = status.output;
  if (status?.type === "failed") {
    info.error = {
      code: status.error.code ?? status.error.kind,
      message: status.error.message,
      kind: status.error.kind,
    };
  } else if (status?.type === "cancelled") {
    info.error = { code: "cancelled", message: status.reason };
  } else if (error) {
    info.error = error;
  }
  return info;
}
