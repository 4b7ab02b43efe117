// One "tab" for tab-crash.test.ts, in a dedicated worker the page can terminate at any moment:
// its JavaScript stops, its IndexedDB transactions abort, its connection closes and its Web Locks
// are released, as when a tab is closed or crashes. It runs a browser host on the page's database
// with a tool that reports each execution to the page and answers only when the page says so.
import type { ActionExecutor, Json } from "runlog";
import { createBrowserHost } from "runlog/idb";
import { tabCrashWorkflow } from "./tab-crash-workflow.ts";

/** What the page sends. */
export type ToTab =
  | { type: "open"; name: string; runId: string; start?: { n: number } }
  | { type: "answer"; actionId: string };

/** What the tab sends: an execution begun, the settled run, or an error. */
export type FromTab =
  | { type: "exec"; actionId: string; attempt: number; input: Json }
  | {
      type: "settled";
      info: { status: string; output?: Json };
      events: { seq: number; ts: number; event: unknown }[];
      verified: boolean;
      verifyMessage?: string;
    }
  | { type: "error"; message: string };

const scope = self as unknown as {
  postMessage(message: FromTab): void;
  onmessage: ((e: MessageEvent<ToTab>) => void) | null;
};
const answers = new Map<string, () => void>();
const post = (message: FromTab) => scope.postMessage(message);

const executor: ActionExecutor = {
  async execute(_runId, action, ctx) {
    if (action.type !== "callTool" || action.tool !== "work")
      throw new Error(`unexpected action ${action.type}`);
    const answered = new Promise<void>((resolve) => answers.set(ctx.actionId, resolve));
    post({ type: "exec", actionId: ctx.actionId, attempt: ctx.attempt, input: action.input });
    await answered;
    return { type: "success", output: { done: action.input } };
  },
};

async function open(name: string, runId: string, start?: { n: number }): Promise<void> {
  // recover (the default) re-drives a run left running by a tab that died.
  const host = await createBrowserHost({ name, workflows: [tabCrashWorkflow], executor });
  if (start) await host.start("test.tab-crash", start, { runId });
  for (;;) {
    const info = await host.get(runId);
    if (info.status === "completed" || info.status === "failed" || info.status === "cancelled") {
      const report = await host.verify(runId);
      post({
        type: "settled",
        info: {
          status: info.status,
          ...(info.output === undefined ? {} : { output: info.output }),
        },
        events: await host.events(runId).then((page) => page.events),
        verified: report.ok,
        ...(report.ok ? {} : { verifyMessage: report.message }),
      });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

scope.onmessage = (e) => {
  const message = e.data;
  if (message.type === "answer") answers.get(message.actionId)?.();
  else
    open(message.name, message.runId, message.start).catch((error: unknown) =>
      post({ type: "error", message: String(error) }),
    );
};
