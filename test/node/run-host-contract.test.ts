// The host contract suite on Node: the memory host (a restart is a new host on the same memory
// store) and the Node host on a SQLite file (a restart reopens the file).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHost, MemoryRunStore } from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";
import { afterAll } from "vitest";
import { createNodeHost } from "../../adapters/node/index.ts";
import { describeRunHost } from "../contract/run-host-suite.ts";

describeRunHost("memory host", async () => {
  const store = new MemoryRunStore();
  const make = () => createHost({ store, workflows: demoWorkflows, executor: demoExecutor() });
  let host = make();
  return {
    host,
    restart: async () => {
      await host.close();
      host = make();
      await host.recover();
      return host;
    },
    close: () => host.close(),
  };
});

const dir = mkdtempSync(join(tmpdir(), "runlog-host-contract-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeRunHost("Node host on SQLite", async () => {
  const path = join(dir, `h${files++}.db`);
  let host = await createNodeHost({ path, demos: true });
  return {
    host,
    restart: async () => {
      await host.close();
      host = await createNodeHost({ path, demos: true });
      return host;
    },
    close: () => host.close(),
  };
});
