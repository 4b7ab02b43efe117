import type { Json } from "../json.ts";
import type { BlockedInfo, RunStatus } from "../run-status.ts";

/** A hosted run as `get` reports it (and `GET /runs/:id` serves it). */
export interface RunInfo {
  runId: string;
  workflow: string;
  version: number;
  status: RunStatus["type"];
  blocked?: BlockedInfo;
  head: number;
  output?: Json;
  /** Why the run failed, or why the host cannot advance it. */
  error?: { code: string; message: string; kind?: string };
  createdAt: number;
  updatedAt: number;
}
