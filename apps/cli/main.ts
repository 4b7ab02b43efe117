// `runlog`, the CLI: runs in a SQLite file (--db) or on a server (--url). One file per command
// group under commands/; this file parses the command line, opens the backend and maps errors to
// exit codes (0 ok, 1 failed, 2 usage, 3 not found, 4 conflict).
import { readFile } from "node:fs/promises";
import { type ParseArgsConfig, parseArgs } from "node:util";
import type { Backend } from "./backend.ts";
import type { Command, CommandContext } from "./command.ts";
import { events, timeline } from "./commands/history.ts";
import { exportCmd, importCmd, replay, verify } from "./commands/portability.ts";
import { cancel, fork, list, resume, show, signal, start, workflows } from "./commands/runs.ts";
import { ExitCode, UsageError } from "./exit-codes.ts";
import type { Target } from "./open-backend.ts";
import { Output, type Streams } from "./output.ts";
import { Progress } from "./progress.ts";

const COMMANDS: Command[] = [
  start,
  list,
  show,
  timeline,
  events,
  resume,
  signal,
  cancel,
  fork,
  exportCmd,
  importCmd,
  replay,
  verify,
  workflows,
];

const GLOBAL: ParseArgsConfig["options"] & object = {
  db: { type: "string" },
  url: { type: "string" },
  token: { type: "string" },
  json: { type: "boolean" },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

const GLOBAL_HELP = `Where the runs are (one of):
  --db <path>      a SQLite file (default: RUNLOG_DB, else ./.runlog/runlog.db)
  --url <url>      a runlog server, e.g. http://127.0.0.1:8787 (default: RUNLOG_URL)
  --token <token>  the server's bearer token (default: RUNLOG_TOKEN)
Output:
  --json           machine-readable JSON on stdout
  --no-color       no colors (they are off anyway unless stdout is a terminal, or NO_COLOR is set)
  -h, --help       help for a command`;

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `runlog: durable, event-sourced runs from the command line

Usage: runlog <command> [arguments] [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

${GLOBAL_HELP}

Exit codes: 0 ok, 1 operation failed (a failed run, a verify mismatch), 2 usage error,
3 not found, 4 conflict (the run is not waiting for that, or has ended).

RUNLOG_WORKFLOWS=path/to/module.ts adds the workflows a module exports.
Run "runlog <command> --help" for a command's options and examples.`;
}

function commandHelp(c: Command): string {
  const opts = Object.entries(c.options).map(([name, o]) => {
    const left = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` <${o.value ?? "value"}>` : ""}`;
    return [left, o.help] as const;
  });
  const width = Math.max(16, ...opts.map(([l]) => l.length));
  const lines = [
    `runlog ${c.name}${c.args ? ` ${c.args}` : ""} [options]`,
    "",
    `${c.summary[0]?.toUpperCase()}${c.summary.slice(1)}.`,
  ];
  if (c.details) lines.push(c.details);
  if (opts.length > 0)
    lines.push("", "Options:", ...opts.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`));
  lines.push("", GLOBAL_HELP, "", "Examples:", ...c.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

/** Runs the CLI on `argv` (without node and the script) and answers the exit code. */
async function runCli(
  argv: string[],
  env: Readonly<Record<string, string | undefined>>,
  streams: Streams,
): Promise<number> {
  const [name, ...rest] = argv;
  const plain = new Output(streams, { json: false, color: false });
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    if (name === "help" && rest[0] !== undefined && !topic) {
      plain.note(`runlog: unknown command "${rest[0]}"\n\n${mainHelp()}`);
      return ExitCode.Usage;
    }
    (name === undefined ? plain.note.bind(plain) : plain.line.bind(plain))(
      topic ? commandHelp(topic) : mainHelp(),
    );
    return name === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  if (name === "--version" || name === "-v") {
    // From source this file is apps/cli/main.ts; compiled, dist/apps/cli/main.js.
    const root = import.meta.url.includes("/dist/apps/cli/") ? "../../../" : "../../";
    const pkg = JSON.parse(
      await readFile(new URL(`${root}package.json`, import.meta.url), "utf8"),
    ) as { version: string };
    plain.line(pkg.version);
    return ExitCode.Ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    plain.note(`runlog: unknown command "${name}"\n\n${mainHelp()}`);
    return ExitCode.Usage;
  }

  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    const options = {
      ...GLOBAL,
      ...Object.fromEntries(
        Object.entries(command.options).map(([k, o]) => [
          k,
          { type: o.type, ...(o.short ? { short: o.short } : {}) },
        ]),
      ),
    };
    parsed = parseArgs({
      args: rest,
      options,
      allowPositionals: true,
      strict: true,
    }) as typeof parsed;
  } catch (error) {
    plain.note(`runlog ${name}: ${(error as Error).message}\n\n${commandHelp(command)}`);
    return ExitCode.Usage;
  }
  if (parsed.values.help) {
    plain.line(commandHelp(command));
    return ExitCode.Ok;
  }
  const json = parsed.values.json === true;
  const color =
    !json && parsed.values["no-color"] !== true && !env.NO_COLOR && Boolean(streams.stdout.isTTY);
  const out = new Output(streams, { json, color });
  const progress = new Progress(streams.stderr);
  const [min, max] = command.arity;
  let backend: Backend | undefined;
  const target: Target = {};
  for (const key of ["db", "url", "token"] as const) {
    const v = parsed.values[key];
    if (typeof v === "string") target[key] = v;
  }
  const ctx: CommandContext = {
    values: parsed.values,
    positionals: parsed.positionals,
    out,
    progress,
    env,
    backend: async (o = {}) => {
      // Loaded on first use: SQLite and the adapters are most of the start-up `--help` need not pay.
      const { openBackend } = await import("./open-backend.ts");
      backend ??= await openBackend(target, env, o.write === true);
      return backend;
    },
    readText: (path) => (path === "-" ? readStdin() : readFile(path, "utf8")),
  };
  try {
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(
        parsed.positionals.length < min
          ? `missing arguments: ${command.args}`
          : `unexpected argument "${parsed.positionals[max]}"`,
      );
    }
    return await command.run(ctx);
  } catch (error) {
    progress.done();
    const { classify } = await import("./classify.ts");
    const { exitCode, code, message } = classify(error);
    if (json) streams.stderr.write(`${JSON.stringify({ error: { code, message }, exitCode })}\n`);
    else {
      const usage = error instanceof UsageError ? `\n\n${commandHelp(command)}` : "";
      streams.stderr.write(`runlog ${name}: ${message}${usage}\n`);
    }
    return exitCode;
  } finally {
    await backend?.close().catch(() => undefined);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

process.exitCode = await runCli(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
});
