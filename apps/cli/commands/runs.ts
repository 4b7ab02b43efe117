// Commands that start runs and move them on: start, list, show, resume, signal, cancel, fork,
// workflows.
import type { Event, Json, RunInfo, RunQuery, RunSummary } from "../../../src/index.ts";
import { arg, type Command, type CommandContext, flag, int, jsonArg, str } from "../command.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { ago, clip } from "../output.ts";
import { printRun, summaryStatus } from "../render.ts";
import { waitSettled } from "../wait-settled.ts";

const STATUSES = ["running", "blocked", "completed", "failed", "cancelled"] as const;

const WAIT = {
  type: "boolean",
  help: "also wait out sleeps and retry backoffs, until the run ends or waits for a person or a signal",
} as const;

/** Prints a run (or its JSON) and answers the exit code its status implies. */
async function report(
  ctx: CommandContext,
  info: RunInfo,
  extra: Record<string, unknown> = {},
): Promise<number> {
  if (ctx.out.json) ctx.out.data({ ...info, ...extra });
  else printRun(ctx.out, info);
  return info.status === "failed" ? ExitCode.Failed : ExitCode.Ok;
}

async function settle(ctx: CommandContext, info: RunInfo): Promise<RunInfo> {
  if (!flag(ctx, "wait")) return info;
  return waitSettled(await ctx.backend(), info.runId, ctx.progress);
}

export const start: Command = {
  name: "start",
  summary: "start a run of a workflow",
  args: "<workflow>",
  arity: [1, 1],
  options: {
    input: {
      type: "string",
      short: "i",
      value: "json",
      help: "the input as JSON, or @file.json (default {})",
    },
    "run-id": {
      type: "string",
      value: "id",
      help: "the run's id (default: a new UUID); the same id again answers that run",
    },
    version: {
      type: "string",
      value: "n",
      help: "a version of the workflow other than the newest",
    },
    wait: WAIT,
  },
  details:
    "Answers once the run blocks or ends. With --db the run advances in this process; a sleep it starts wakes in whichever server or CLI opens the database next.",
  examples: [
    `runlog start demo.approval --input '{"text":"Ship the release notes"}' --run-id notes-1`,
    `runlog start demo.sleep -i '{"ms":2000}' --wait`,
    "runlog workflows   (what can be started)",
  ],
  async run(ctx) {
    const input = (
      str(ctx, "input") === undefined
        ? {}
        : await jsonArg(ctx, str(ctx, "input") as string, "--input")
    ) as Json;
    const runId = str(ctx, "run-id");
    const version = int(ctx, "version", undefined);
    const backend = await ctx.backend({ write: true });
    const started = await backend.start(arg(ctx, 0), input, {
      wait: true,
      ...(runId ? { runId } : {}),
      ...(version ? { version } : {}),
    });
    const info = await settle(ctx, started);
    if (!ctx.out.json && started.existed)
      ctx.out.note(`run ${started.runId} already existed: showing it`);
    return report(ctx, info, { existed: started.existed === true });
  },
};

export const list: Command = {
  name: "list",
  summary: "list runs, newest first",
  args: "",
  arity: [0, 0],
  options: {
    status: {
      type: "string",
      short: "s",
      value: "status",
      help: `only runs with this status: ${STATUSES.join(", ")}`,
    },
    limit: { type: "string", short: "n", value: "n", help: "at most n runs per page (default 20)" },
    cursor: { type: "string", value: "c", help: "the page after the one that printed this cursor" },
    all: { type: "boolean", short: "a", help: "every page" },
  },
  examples: [
    "runlog list",
    "runlog list --status blocked",
    "runlog list --json --all | jq -r '.runs[].runId'",
  ],
  async run(ctx) {
    const status = str(ctx, "status");
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`--status must be one of ${STATUSES.join(", ")}, got ${status}`);
    }
    const limit = int(ctx, "limit", 20) as number;
    const backend = await ctx.backend();
    const runs: RunSummary[] = [];
    let cursor = str(ctx, "cursor");
    let next: string | undefined;
    do {
      const query: RunQuery = { limit, ...(cursor ? { cursor } : {}) };
      if (status) query.status = status as NonNullable<RunQuery["status"]>;
      const page = await backend.list(query);
      runs.push(...page.runs);
      next = page.nextCursor;
      cursor = next;
      if (flag(ctx, "all") && next) ctx.progress.update(`listing runs: ${runs.length}`);
    } while (flag(ctx, "all") && next);
    ctx.progress.done();
    if (ctx.out.json) {
      ctx.out.data(next ? { runs, nextCursor: next } : { runs });
      return ExitCode.Ok;
    }
    if (runs.length === 0) {
      ctx.out.line(`no runs${status ? ` with status ${status}` : ""} in ${backend.where}`);
      ctx.out.line(
        ctx.out.paint("dim", `start one: runlog start demo.approval --input '{"text":"hello"}'`),
      );
      return ExitCode.Ok;
    }
    ctx.out.table(
      ["RUN", "WORKFLOW", "STATUS", "EVENTS", "CREATED", "UPDATED"],
      runs.map((r) => [
        clip(r.runId, 40),
        r.workflow ? `${r.workflow} v${r.version ?? "?"}` : "?",
        summaryStatus(ctx.out, r),
        String(r.head),
        ago(r.createdAt),
        ago(r.updatedAt),
      ]),
    );
    if (next)
      ctx.out.line(
        ctx.out.paint(
          "dim",
          `more: runlog list --cursor '${next}'${status ? ` --status ${status}` : ""}`,
        ),
      );
    return ExitCode.Ok;
  },
};

export const show: Command = {
  name: "show",
  summary: "show one run: status, what it waits for, output or error",
  args: "<runId>",
  arity: [1, 1],
  options: {},
  examples: ["runlog show notes-1", "runlog show notes-1 --json | jq .status"],
  async run(ctx) {
    const backend = await ctx.backend();
    const info = await backend.get(arg(ctx, 0));
    if (ctx.out.json) ctx.out.data(info);
    else printRun(ctx.out, info, backend.where);
    return ExitCode.Ok;
  },
};

export const resume: Command = {
  name: "resume",
  summary: "answer the interrupt a run waits on",
  args: "<runId> [value]",
  arity: [1, 2],
  options: {
    approve: { type: "boolean", help: 'answer {"approved":true}' },
    deny: { type: "boolean", help: 'answer {"approved":false}' },
    interrupt: {
      type: "string",
      value: "id",
      help: "the interrupt answered (refused if the run waits on another)",
    },
    wait: WAIT,
  },
  details: "The value is JSON (or @file.json). Exit 4 when the run is not waiting on an interrupt.",
  examples: [
    "runlog resume notes-1 --approve",
    `runlog resume notes-1 '{"approved":false,"note":"not yet"}'`,
  ],
  async run(ctx) {
    const given = [
      ctx.positionals[1] !== undefined,
      flag(ctx, "approve"),
      flag(ctx, "deny"),
    ].filter(Boolean).length;
    if (given !== 1)
      throw new UsageError("give exactly one answer: a JSON value, --approve or --deny");
    const value = (
      flag(ctx, "approve")
        ? { approved: true }
        : flag(ctx, "deny")
          ? { approved: false }
          : await jsonArg(ctx, ctx.positionals[1] as string, "the value")
    ) as Json;
    const interruptId = str(ctx, "interrupt");
    const backend = await ctx.backend();
    const info = await backend.resume(arg(ctx, 0), value, {
      wait: true,
      ...(interruptId ? { interruptId } : {}),
    });
    return report(ctx, await settle(ctx, info));
  },
};

export const signal: Command = {
  name: "signal",
  summary: "send a named signal to a run",
  args: "<runId> <name> [value]",
  arity: [2, 3],
  options: {
    id: {
      type: "string",
      value: "key",
      help: "the signal's id: sending the same id again appends nothing",
    },
    wait: WAIT,
  },
  details: "The value is JSON (or @file.json), default null. A signal sent early waits in the log.",
  examples: [`runlog signal order-7 go '{"by":"ops"}'`, "runlog signal order-7 go --id deploy-42"],
  async run(ctx) {
    const raw = ctx.positionals[2];
    const value = (raw === undefined ? null : await jsonArg(ctx, raw, "the value")) as Json;
    const signalId = str(ctx, "id");
    const backend = await ctx.backend();
    const info = await backend.signal(arg(ctx, 0), arg(ctx, 1), value, {
      wait: true,
      ...(signalId ? { signalId } : {}),
    });
    return report(ctx, await settle(ctx, info));
  },
};

export const cancel: Command = {
  name: "cancel",
  summary: "cancel a run",
  args: "<runId>",
  arity: [1, 1],
  options: {
    reason: { type: "string", short: "r", value: "text", help: "why (recorded in the log)" },
  },
  details: "Exit 4 when the run has already ended.",
  examples: ['runlog cancel order-7 --reason "customer changed their mind"'],
  async run(ctx) {
    const backend = await ctx.backend();
    const reason = str(ctx, "reason");
    return report(ctx, await backend.cancel(arg(ctx, 0), reason));
  },
};

export const fork: Command = {
  name: "fork",
  summary: "copy a run up to an event into a new run and continue it",
  args: "<runId>",
  arity: [1, 1],
  options: {
    at: {
      type: "string",
      value: "seq",
      help: "the last event copied (required; see runlog events)",
    },
    "new-id": { type: "string", value: "id", help: "the new run's id (default: a new UUID)" },
    alternate: {
      type: "string",
      value: "json",
      help: "events recorded after the copy: a JSON array, or @file.json",
    },
    wait: WAIT,
  },
  details:
    'Time travel for debugging and "what if I had answered no": fork before the answer, then resume the copy differently (or pass it with --alternate).',
  examples: [
    "runlog fork notes-1 --at 4 --new-id notes-1-retry",
    `runlog fork notes-1 --at 4 --alternate '[{"type":"Resumed","value":{"approved":false}}]'`,
  ],
  async run(ctx) {
    const at = int(ctx, "at", undefined);
    if (at === undefined) throw new UsageError("--at <seq> is required");
    const raw = str(ctx, "alternate");
    const alternate = raw === undefined ? undefined : await jsonArg(ctx, raw, "--alternate");
    if (alternate !== undefined && !Array.isArray(alternate))
      throw new UsageError("--alternate must be a JSON array of events");
    const newRunId = str(ctx, "new-id");
    const backend = await ctx.backend({ write: true });
    const info = await backend.fork(arg(ctx, 0), at, {
      ...(newRunId ? { newRunId } : {}),
      ...(alternate ? { alternate: alternate as Event[] } : {}),
    });
    return report(ctx, await settle(ctx, info), { forkedFrom: arg(ctx, 0), atSeq: at });
  },
};

export const workflows: Command = {
  name: "workflows",
  summary: "list the workflows that can be started",
  args: "",
  arity: [0, 0],
  options: {},
  details: "The demos, plus those of the module RUNLOG_WORKFLOWS names.",
  examples: ["runlog workflows", "runlog workflows --url http://127.0.0.1:8787"],
  async run(ctx) {
    const list = await (await ctx.backend()).workflows();
    if (ctx.out.json) ctx.out.data({ workflows: list });
    else {
      ctx.out.table(
        ["WORKFLOW", "VERSION", "DESCRIPTION"],
        list.map((w) => [
          w.name,
          w.versions.length > 1 ? `${w.version} (of ${w.versions.join(", ")})` : String(w.version),
          w.description ?? "",
        ]),
      );
    }
    return ExitCode.Ok;
  },
};
