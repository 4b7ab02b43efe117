// Commands that move runs and check them: export, import, replay, verify.
import { writeFile } from "node:fs/promises";
import type { SequencedEvent, VerifyReport, WorkflowRegistry } from "../../../src/index.ts";
import { type Command, type CommandContext, str } from "../command.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";

// The core, the adapters and SQLite load when a command here runs, not for `runlog --help`.
const core = () => import("../../../src/index.ts");
const local = () => import("../local-replay.ts");

/** The workflows a local replay or verify knows, with the adapters loaded only then. */
async function localRegistry(env: CommandContext["env"]): Promise<WorkflowRegistry> {
  return (await import("../open-backend.ts")).localRegistry(env);
}

/** The run id positional or `--file`, exactly one of them. */
function source(ctx: CommandContext): { runId: string } | { file: string } {
  const runId = ctx.positionals[0];
  const file = str(ctx, "file");
  if ((runId === undefined) === (file === undefined))
    throw new UsageError("give a run id or --file <export.ndjson>, not both");
  return runId !== undefined ? { runId } : { file: file as string };
}

/** Reads and checks an export file whole (header, lines, hash), with progress. */
async function readExport(
  ctx: CommandContext,
  path: string,
): Promise<{ runId: string; events: SequencedEvent[]; hash: string }> {
  ctx.progress.update(`reading ${path}`, true);
  const text = await ctx.readText(path);
  ctx.progress.update(`checking ${(text.length / 1_048_576).toFixed(1)} MiB`, true);
  const { header, events } = await (await core()).parseExport(text);
  return { runId: header.runId, events, hash: header.hash };
}

const FILE = {
  type: "string",
  value: "path",
  help: "work on an export file instead of a stored run (- for stdin)",
} as const;

export const exportCmd: Command = {
  name: "export",
  summary: "write a run's log as NDJSON with its hash",
  args: "<runId>",
  arity: [1, 1],
  options: {
    output: {
      type: "string",
      short: "o",
      value: "file",
      help: "write to a file instead of stdout",
    },
  },
  examples: ["runlog export notes-1 > notes-1.ndjson", "runlog export notes-1 -o notes-1.ndjson"],
  async run(ctx) {
    const runId = ctx.positionals[0] as string;
    const text = await (await ctx.backend()).exportRun(runId);
    const file = str(ctx, "output");
    if (!file) {
      ctx.out.streams.stdout.write(text);
      return ExitCode.Ok;
    }
    await writeFile(file, text);
    const header = JSON.parse(text.slice(0, text.indexOf("\n"))) as { head: number; hash: string };
    if (ctx.out.json) ctx.out.data({ runId, head: header.head, hash: header.hash, file });
    else ctx.out.line(`exported ${runId}: ${header.head} events, hash ${header.hash} → ${file}`);
    return ExitCode.Ok;
  },
};

export const importCmd: Command = {
  name: "import",
  summary: "import an NDJSON export as a new run (checked whole first)",
  args: "<file>",
  arity: [1, 1],
  options: {
    "run-id": {
      type: "string",
      value: "id",
      help: "import under another id (default: the exported one)",
    },
  },
  details:
    "The file is - for stdin. Nothing is written when any line or the hash is wrong. Exit 4 when the run id exists.",
  examples: [
    "runlog import notes-1.ndjson --db ./other.db",
    "runlog export notes-1 | runlog import - --run-id notes-copy",
  ],
  async run(ctx) {
    const path = ctx.positionals[0] as string;
    ctx.progress.update(`reading ${path}`, true);
    const text = await ctx.readText(path);
    const lines = text.split("\n").filter((l) => l.length > 0).length - 1;
    ctx.progress.update(`importing ${Math.max(0, lines).toLocaleString("en-US")} events`, true);
    const runId = str(ctx, "run-id");
    const backend = await ctx.backend({ write: true });
    const imported = await backend.importRun(text, runId ? { runId } : {}, ctx.progress);
    ctx.progress.done();
    if (ctx.out.json) ctx.out.data(imported);
    else ctx.out.line(`imported ${imported.runId}: ${imported.head} events, hash ${imported.hash}`);
    return ExitCode.Ok;
  },
};

export const replay: Command = {
  name: "replay",
  summary: "fold a run's log into its state, executing nothing",
  args: "[runId]",
  arity: [0, 1],
  options: { file: FILE },
  details: "Needs the run's workflow here: the demos, or the module RUNLOG_WORKFLOWS names.",
  examples: ["runlog replay notes-1", "runlog replay --file notes-1.ndjson --json | jq .state"],
  async run(ctx) {
    const from = source(ctx);
    let result: { runId: string; head: number; state: unknown };
    if ("file" in from) {
      const { runId, events } = await readExport(ctx, from.file);
      result = (await local()).replayLog(await localRegistry(ctx.env), runId, events, ctx.progress);
    } else {
      result = await (await ctx.backend()).replay(from.runId, ctx.progress);
    }
    ctx.progress.done();
    if (ctx.out.json) ctx.out.data(result);
    else {
      ctx.out.line(ctx.out.paint("dim", `state of ${result.runId} after ${result.head} events:`));
      ctx.out.line(JSON.stringify(result.state, null, 2));
    }
    return ExitCode.Ok;
  },
};

export const verify: Command = {
  name: "verify",
  summary: "re-drive a run's workflow over its log and check it decides the same",
  args: "[runId]",
  arity: [0, 1],
  options: {
    file: FILE,
    "expect-hash": {
      type: "string",
      value: "sha256",
      help: "also fail unless the log hashes to this",
    },
  },
  details:
    "Exit 0 when every decision matches (and the hash, if given); 1 at the first divergence. With --url the server verifies; with --file or --db this process does.",
  examples: [
    "runlog verify notes-1",
    "runlog verify --file notes-1.ndjson --expect-hash 3f7a…",
    "runlog verify notes-1 --json | jq .hash",
  ],
  async run(ctx) {
    const from = source(ctx);
    let report: VerifyReport;
    if ("file" in from) {
      const { runId, events } = await readExport(ctx, from.file);
      report = await (await local()).verifyLog(
        await localRegistry(ctx.env),
        runId,
        events,
        ctx.progress,
      );
    } else {
      report = await (await ctx.backend()).verify(from.runId, ctx.progress);
    }
    ctx.progress.done();
    const expected = str(ctx, "expect-hash");
    const hashOk = expected === undefined || expected === report.hash;
    const ok = report.ok && hashOk;
    const o = ctx.out;
    if (o.json) o.data(expected === undefined ? report : { ...report, ok, expectedHash: expected });
    else {
      const mark = ok ? o.paint("green", "✓") : o.paint("red", "✗");
      const what = report.ok
        ? `${report.runId} verifies: ${report.decisions} decisions re-driven over ${report.head} events`
        : `${report.runId} diverges${report.divergedAt === undefined ? "" : ` at seq ${report.divergedAt}`}: ${report.message}`;
      o.line(`${mark} ${what}`);
      o.fields([
        ["hash", report.hash],
        ["expected", hashOk ? undefined : o.paint("red", `${expected} (does not match)`)],
        ["status", o.status(report.status.type)],
      ]);
    }
    return ok ? ExitCode.Ok : ExitCode.Failed;
  },
};
