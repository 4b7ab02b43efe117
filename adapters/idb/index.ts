/**
 * runlog in the browser: events, snapshots and the run index in one IndexedDB database (through
 * `idb`), each commit one transaction, and a host that keeps one driver per run across tabs (Web
 * Locks), re-arms timers on page load and tells other tabs of new events (BroadcastChannel).
 * Opening the store or creating the host is the only thing that touches browser globals.
 *
 * ```ts
 * const host = await createBrowserHost({ workflows: [approval], tools: [sendEmail] });
 * const { runId } = await host.start("approval", { text: "hello" });
 * for await (const se of host.watch(runId)) console.log(se.seq, se.event.type);
 * ```
 */

export type { BrowserHost, BrowserHostOptions } from "./browser-host.ts";
export { createBrowserHost } from "./browser-host.ts";
export type { IdbDurability, IdbStoreOptions } from "./idb-store.ts";
export { IdbStore } from "./idb-store.ts";
export type { RunLockManager } from "./run-lock.ts";
export { defaultLockManager, runLockName, webRunLock } from "./run-lock.ts";
export type { CommitMessage } from "./tab-channel.ts";
export { tabChannelName, tabFeed } from "./tab-channel.ts";
