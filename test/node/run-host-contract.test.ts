// The host contract suite on Node: the memory host (a restart is a new host on the same memory
// store) and the Node host on a SQLite file (a restart reopens the file). A restart abandons the
// old host as a process that dies would: it is closed without waiting for its actions in flight.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHost, MemoryRunStore } from "runlog";
import { demoWorkflows } from "runlog/demos";
import { afterAll } from "vitest";
import { createNodeHost } from "../../adapters/node/index.ts";
import { contractExecutor, contractTools, contractWorkflows } from "../contract/contract-kit.ts";
import { describeRunHost } from "../contract/run-host-suite.ts";

describeRunHost("memory host", async () => {
  const store = new MemoryRunStore();
  const make = (v2 = false) =>
    createHost({
      store,
      workflows: [...demoWorkflows, ...contractWorkflows({ v2 })],
      executor: contractExecutor(),
    });
  let host = make();
  const stopped: Promise<void>[] = [];
  return {
    host,
    restart: async (_runIds, options = {}) => {
      stopped.push(host.close());
      host = make(options.upgrade);
      await host.recover();
      return host;
    },
    close: async () => {
      await host.close();
      await Promise.all(stopped);
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), "runlog-host-contract-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeRunHost("Node host on SQLite", async () => {
  const path = join(dir, `h${files++}.db`);
  const open = (v2 = false) =>
    createNodeHost({
      path,
      demos: true,
      workflows: contractWorkflows({ v2 }),
      tools: contractTools(),
    });
  let host = await open();
  const stopped: Promise<unknown>[] = [];
  return {
    host,
    restart: async (_runIds, options = {}) => {
      // The file is closed at once; a drive still in flight fails to commit, as in a dead process.
      stopped.push(host.closeWithin(0));
      host = await open(options.upgrade);
      return host;
    },
    close: async () => {
      await host.close();
      await Promise.all(stopped);
    },
  };
});
