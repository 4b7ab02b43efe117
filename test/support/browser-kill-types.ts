// What test/node/reliability/browser-kill.test.ts reaches of its page (test/browser/browser-kill-page.ts),
// apart from the page so that the Node side never loads DOM code.
import type { Json } from "runlog";

/** One execution of the tool, as the page saw it. */
export interface PageExec {
  actionId: string;
  attempt: number;
  i: number;
}

/** The page's `window.browserKill`. */
export interface BrowserKillPage {
  /** Executions of the tool in this page load. */
  execs: PageExec[];
  /** Starts a run whose tool answers at once for `i < holdFrom` and never answers from there. */
  start(name: string, runId: string, n: number, holdFrom: number): Promise<void>;
  /** Opens the host (which recovers running runs) and waits for the run to end. */
  settle(
    name: string,
    runId: string,
  ): Promise<{
    status: string;
    output?: Json;
    events: { seq: number; event: unknown }[];
    verified: boolean;
    verifyMessage: string;
  }>;
}
