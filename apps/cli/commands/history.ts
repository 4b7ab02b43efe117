// Commands that read a run's history: timeline and events.
import type { SequencedEvent } from "../../../src/index.ts";
import { isDue } from "../backend.ts";
import { arg, type Command, flag, int } from "../command.ts";
import { ExitCode } from "../exit-codes.ts";
import { clip, clock, duration } from "../output.ts";
import { eventDetail, flat } from "../render.ts";

export const timeline: Command = {
  name: "timeline",
  summary: "a run's history with times, durations and the final status",
  args: "<runId>",
  arity: [1, 1],
  options: {},
  examples: ["runlog timeline notes-1", "runlog timeline notes-1 --json | jq '.actions'"],
  async run(ctx) {
    const tl = await (await ctx.backend()).timeline(arg(ctx, 0));
    if (ctx.out.json) {
      ctx.out.data(tl);
      return ExitCode.Ok;
    }
    const o = ctx.out;
    o.line(
      `${o.paint("bold", tl.runId)}  ${o.status(tl.status)}  ${tl.head} events  ${duration(tl.durationMs)}`,
    );
    o.line();
    o.table(
      ["AT", "SEQ", "EVENT", "TOOK"],
      tl.events.map((e) => [
        `+${duration(e.atMs)}`,
        `#${e.seq}`,
        e.label,
        e.durationMs === undefined ? "" : duration(e.durationMs),
      ]),
    );
    if (tl.actions.length > 0) {
      o.line();
      o.table(
        ["ACTION", "KIND", "NAME", "ATTEMPTS", "OUTCOME", "TOOK"],
        tl.actions.map((a) => [
          a.actionId,
          a.type,
          a.name,
          String(a.attempts),
          a.outcome === "failed"
            ? o.paint("red", a.outcome)
            : a.outcome === "pending"
              ? o.paint("yellow", a.outcome)
              : a.outcome,
          a.durationMs === undefined ? "" : duration(a.durationMs),
        ]),
      );
    }
    return ExitCode.Ok;
  },
};

export const events: Command = {
  name: "events",
  summary: "a run's events with their payloads",
  args: "<runId>",
  arity: [1, 1],
  options: {
    from: { type: "string", value: "seq", help: "the first event (default 1)" },
    limit: { type: "string", short: "n", value: "n", help: "at most n events (default: all)" },
    follow: { type: "boolean", short: "f", help: "keep printing new events until the run ends" },
  },
  details:
    "--json prints {events, head} with events as the API serves them ({seq, ts, type, ...}); with --follow, one JSON event per line.",
  examples: [
    "runlog events notes-1",
    "runlog events notes-1 --from 3 --json",
    "runlog events order-7 --follow",
  ],
  async run(ctx) {
    const runId = arg(ctx, 0);
    const from = int(ctx, "from", 1) as number;
    const limit = int(ctx, "limit", undefined);
    const backend = await ctx.backend();
    const o = ctx.out;
    const width = (process.stdout.columns ?? 120) - 40;
    const line = (se: SequencedEvent) =>
      o.json
        ? JSON.stringify(flat(se))
        : `${String(se.seq).padStart(4)}  ${clock(se.ts)}  ${o.paint("cyan", se.event.type.padEnd(19))}  ${clip(eventDetail(se), Math.max(30, width))}`;
    if (!flag(ctx, "follow")) {
      const all: SequencedEvent[] = [];
      let head = 0;
      let next = from;
      for (;;) {
        const want = limit === undefined ? 1000 : Math.min(1000, limit - all.length);
        const page = await backend.events(runId, next, want);
        head = page.head;
        all.push(...page.events);
        const last = page.events[page.events.length - 1];
        if (!last || page.events.length < want || (limit !== undefined && all.length >= limit))
          break;
        next = last.seq + 1;
        ctx.progress.count("reading events", all.length, head);
      }
      ctx.progress.done();
      if (o.json) o.data({ events: all.map(flat), head });
      else for (const se of all) o.line(line(se));
      return ExitCode.Ok;
    }
    let next = from;
    for (;;) {
      const page = await backend.events(runId, next, 1000);
      for (const se of page.events) o.line(line(se));
      const last = page.events[page.events.length - 1];
      if (last) next = last.seq + 1;
      if (page.events.length === 0) {
        const info = await backend.get(runId);
        if (["completed", "failed", "cancelled"].includes(info.status) && next > info.head)
          return ExitCode.Ok;
        if (isDue(info) && backend.nudge) await backend.nudge(runId);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  },
};
