// The host contract suite in a real Chromium: the browser host on IndexedDB, with Web Locks and
// BroadcastChannel. A restart opens a new host on the same database, as a reloaded tab does. The
// old host is closed without waiting for its actions in flight, and each host takes its Web Locks
// under names of its own: a reloaded tab's locks go with it, while a host closed in this page keeps
// its drive (and so its locks) until its held tool is let go.

import { demoWorkflows } from "runlog/demos";
import type { RunLockManager } from "runlog/idb";
import { createBrowserHost } from "runlog/idb";
import { contractExecutor, contractWorkflows } from "../contract/contract-kit.ts";
import { describeRunHost } from "../contract/run-host-suite.ts";
import { deleteDatabase } from "./idb-cleanup.ts";

let counter = 0;
let generations = 0;

/** `navigator.locks` under names of one host's own (a tab's, that dies with it). */
function locksOfOneHost(): RunLockManager {
  const generation = generations++;
  return {
    request: (name, work) => navigator.locks.request(`${name}#${generation}`, () => work()),
  };
}

describeRunHost("browser host on IndexedDB", async () => {
  const name = `runlog-contract-${Date.now().toString(36)}-${counter++}`;
  const open = (v2 = false) =>
    createBrowserHost({
      name,
      workflows: [...demoWorkflows, ...contractWorkflows({ v2 })],
      executor: contractExecutor(),
      locks: locksOfOneHost(),
    });
  let host = await open();
  const stopped: Promise<void>[] = [];
  return {
    host,
    restart: async (_runIds, options = {}) => {
      stopped.push(host.close());
      host = await open(options.upgrade);
      return host;
    },
    close: async () => {
      await host.close();
      await Promise.all(stopped);
      await deleteDatabase(name);
    },
  };
});
