import { MemoryRunStore } from "../memory-run-store.ts";
import { createHost, type Host, type HostOptions } from "./host.ts";

/** A host on memory: runs last as long as the page or the program. For demos, tests and the browser's fallback. */
export function createMemoryHost(options: Omit<HostOptions, "store">): Host {
  return createHost({ ...options, store: new MemoryRunStore() });
}
