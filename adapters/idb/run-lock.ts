import type { RunLock } from "../../src/index.ts";
import { RunLocks } from "../../src/store-kit/index.ts";

/**
 * Grants one holder at a time per name: the Web Locks API's `request` as far as a browser host
 * uses it. The lock is held until the promise `work` returns settles.
 */
export interface RunLockManager {
  request<T>(name: string, work: () => Promise<T>): Promise<T>;
}

/** The Web Lock that one run's drives, resumes, signals and cancellations take in every tab. */
export function runLockName(runId: string): string {
  return `runlog:run:${runId}`;
}

/**
 * The page's `navigator.locks` (shared by every tab of the origin), or, where there is none (an
 * insecure context, an old browser), a lock of this page only: other tabs are then kept apart by
 * `expectedHead` alone.
 */
export function defaultLockManager(): RunLockManager {
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  if (locks) return { request: (name, work) => locks.request(name, () => work()) };
  const local = new RunLocks();
  return { request: (name, work) => local.with(name, work) };
}

/** A host's lock port over a lock manager: each batch of a run's commands holds its Web Lock. */
export function webRunLock(manager: RunLockManager = defaultLockManager()): RunLock {
  return { hold: (runId, work) => manager.request(runLockName(runId), work) };
}
