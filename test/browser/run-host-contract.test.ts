// The host contract suite in a real Chromium: the browser host on IndexedDB, with Web Locks and
// BroadcastChannel. A restart closes the host and opens a new one on the same database, as a
// reloaded tab does.
import { demoExecutor, demoWorkflows } from "runlog/demos";
import { createBrowserHost } from "runlog/idb";
import { describeRunHost } from "../contract/run-host-suite.ts";
import { deleteDatabase } from "./idb-cleanup.ts";

let counter = 0;

describeRunHost("browser host on IndexedDB", async () => {
  const name = `runlog-contract-${Date.now().toString(36)}-${counter++}`;
  const open = () =>
    createBrowserHost({ name, workflows: demoWorkflows, executor: demoExecutor() });
  let host = await open();
  return {
    host,
    restart: async () => {
      await host.close();
      host = await open();
      return host;
    },
    close: async () => {
      await host.close();
      await deleteDatabase(name);
    },
  };
});
