// The page test/node/reliability/browser-kill.test.ts loads in a Chromium it kills: a browser host
// on IndexedDB running `test.tab-crash`, driven from the test through `window.browserKill`.
import type { ActionExecutor } from "runlog";
import { createBrowserHost } from "runlog/idb";
import type { BrowserKillPage, PageExec } from "../support/browser-kill-types.ts";
import { tabCrashWorkflow } from "./tab-crash-workflow.ts";

const execs: PageExec[] = [];

function executor(holdFrom: number): ActionExecutor {
  return {
    async execute(_runId, action, ctx) {
      if (action.type !== "callTool" || action.tool !== "work")
        throw new Error(`unexpected action ${action.type}`);
      const i = (action.input as { i: number }).i;
      execs.push({ actionId: ctx.actionId, attempt: ctx.attempt, i });
      if (i >= holdFrom) await new Promise<never>(() => {});
      return { type: "success", output: { done: action.input } };
    },
  };
}

const page: BrowserKillPage = {
  execs,
  async start(name, runId, n, holdFrom) {
    const host = await createBrowserHost({
      name,
      workflows: [tabCrashWorkflow],
      executor: executor(holdFrom),
    });
    await host.start("test.tab-crash", { n }, { runId });
  },
  async settle(name, runId) {
    const host = await createBrowserHost({
      name,
      workflows: [tabCrashWorkflow],
      executor: executor(Number.POSITIVE_INFINITY),
    });
    for (;;) {
      const info = await host.get(runId);
      if (info.status === "completed" || info.status === "failed" || info.status === "cancelled") {
        const report = await host.verify(runId);
        const { events } = await host.events(runId);
        return {
          status: info.status,
          ...(info.output === undefined ? {} : { output: info.output }),
          events: events.map(({ seq, event }) => ({ seq, event })),
          verified: report.ok,
          verifyMessage: report.message,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  },
};

(window as unknown as { browserKill: BrowserKillPage }).browserKill = page;
