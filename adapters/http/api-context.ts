import type { RunHost } from "../../src/index.ts";

/** What the route groups share: the host they serve and the settings that shape their answers. */
export interface ApiContext {
  host: RunHost;
  /** The key resume tokens are signed with; `undefined` when none is configured. */
  resumeSecret: string | undefined;
  importBytes: number;
  heartbeatMs: number;
  now: () => number;
}
