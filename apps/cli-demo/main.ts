// `npm run demo`: runs demo.approval end to end in the terminal on the memory store, printing each
// event as it is committed, asking the approval question at the prompt (or taking --approve /
// --deny), then printing the timeline.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { createMemoryHost, type SequencedEvent } from "runlog";
import { demoExecutor, demoWorkflows } from "runlog/demos";
import { formatEvent, formatTimeline } from "./format.ts";

const USAGE = `usage: npm run demo -- [--text "what to publish"] [--approve | --deny]

Runs the demo.approval workflow on the memory store: echo the text, ask a human, complete.
Without --approve or --deny it asks at the prompt (a terminal is needed for that).`;

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.approve && args.deny) {
    console.error(`--approve and --deny exclude each other\n\n${USAGE}`);
    return 2;
  }
  const interactive = Boolean(process.stdin.isTTY);
  if (!args.approve && !args.deny && !interactive) {
    console.error(`no terminal to ask at: pass --approve or --deny\n\n${USAGE}`);
    return 2;
  }

  const host = createMemoryHost({ workflows: demoWorkflows, executor: demoExecutor() });
  const runId = `approval-${Date.now().toString(36)}`;
  const printer = printEvents(host.watch(runId));
  console.log(`runlog · demo.approval · run ${runId}\n`);
  const started = await host.start("demo.approval", { text: args.text }, { runId, wait: true });
  await host.idle(runId);
  const interrupt = started.blocked?.interrupt;
  if (!interrupt) {
    console.error(`the run did not stop for approval (status ${started.status})`);
    return 1;
  }
  const question = (interrupt.value as { question?: string }).question ?? "Approve?";
  let approved: boolean;
  if (args.approve || args.deny) {
    approved = Boolean(args.approve);
    console.log(`\n? ${question} ${approved ? "yes (--approve)" : "no (--deny)"}\n`);
  } else {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = (await rl.question(`\n? ${question} [y/N] `)).trim().toLowerCase();
    rl.close();
    approved = answer === "y" || answer === "yes";
    console.log();
  }
  const done = await host.resume(runId, { approved }, { interruptId: interrupt.id, wait: true });
  await printer;
  console.log(`\nstatus: ${done.status}  output: ${JSON.stringify(done.output)}\n`);
  console.log(formatTimeline(await host.timeline(runId)));
  await host.close();
  return done.status === "completed" ? 0 : 1;
}

function parse() {
  const { values } = parseArgs({
    options: {
      text: { type: "string", default: "Ship the Q3 release notes" },
      approve: { type: "boolean", default: false },
      deny: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: false,
  });
  return values;
}

async function printEvents(events: AsyncIterable<SequencedEvent>): Promise<void> {
  for await (const se of events) console.log(formatEvent(se));
}

process.exitCode = await main();
