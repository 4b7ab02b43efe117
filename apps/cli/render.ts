import type { RunInfo, RunSummary, SequencedEvent } from "../../src/index.ts";
import { ago, clip, clock, type Output, oneLine } from "./output.ts";

/** What a blocked run waits for, in words. */
export function waitingText(info: Pick<RunInfo, "blocked">, now = Date.now()): string | undefined {
  const b = info.blocked;
  if (!b) return undefined;
  if (b.interrupt) return `a person (interrupt ${b.interrupt.id})`;
  if (b.waitSignal !== undefined) return `signal "${b.waitSignal}"`;
  if (b.timerAt !== undefined)
    return `a timer, due ${clock(b.timerAt)} (in ${secondsUntil(b.timerAt, now)})`;
  if (b.retryAt !== undefined)
    return `a retry, due ${clock(b.retryAt)} (in ${secondsUntil(b.retryAt, now)})`;
  return undefined;
}

const secondsUntil = (at: number, now: number) => `${Math.max(0, (at - now) / 1000).toFixed(1)}s`;

/** A run's details as aligned fields, with the command that moves it on when it waits. */
export function printRun(out: Output, info: RunInfo, where?: string): void {
  const interrupt = info.blocked?.interrupt;
  out.fields([
    ["run", out.paint("bold", info.runId)],
    ["workflow", `${info.workflow} v${info.version}`],
    ["status", out.status(info.status)],
    ["waiting on", waitingText(info)],
    ["question", interrupt ? clip(oneLine(interrupt.value), 200) : undefined],
    ["events", String(info.head)],
    ["created", `${clock(info.createdAt)} (${ago(info.createdAt)})`],
    ["updated", `${clock(info.updatedAt)} (${ago(info.updatedAt)})`],
    ["output", info.output === undefined ? undefined : clip(oneLine(info.output), 400)],
    [
      "error",
      info.error ? out.paint("red", `${info.error.code}: ${info.error.message}`) : undefined,
    ],
    ["from", where],
  ]);
  const hint = nextStep(info);
  if (hint) out.line(out.paint("dim", `\nnext: ${hint}`));
}

/** The command that moves a waiting run on. */
export function nextStep(info: RunInfo): string | undefined {
  const b = info.blocked;
  if (!b) return undefined;
  if (b.interrupt) return `runlog resume ${info.runId} --approve   (or --deny, or a JSON value)`;
  if (b.waitSignal !== undefined)
    return `runlog signal ${info.runId} ${b.waitSignal} '"a JSON value"'`;
  return undefined;
}

/** A run summary's status with what it waits on: `blocked (interrupt)`. */
export function summaryStatus(out: Output, run: RunSummary): string {
  return run.waitingOn
    ? `${out.status(run.status)} ${out.paint("dim", `(${run.waitingOn})`)}`
    : out.status(run.status);
}

/** An event as the API serves it: `{seq, ts, type, ...fields}`. */
export function flat(se: SequencedEvent): Record<string, unknown> {
  return { seq: se.seq, ts: se.ts, ...se.event };
}

/** The gist of an event's payload for a table cell. */
export function eventDetail(se: SequencedEvent): string {
  const e = se.event;
  switch (e.type) {
    case "RunStarted":
      return `${e.workflow} v${e.version} ${oneLine(e.input)}`;
    case "ActionRequested": {
      const a = e.action;
      const what =
        a.type === "callTool"
          ? `${a.tool} ${oneLine(a.input)}`
          : a.type === "callLLM"
            ? a.provider
            : a.type === "sleep"
              ? `${a.ms}ms`
              : a.name;
      return `${e.actionId} ${a.type} ${what}`;
    }
    case "ActionSucceeded":
      return `${e.actionId} → ${oneLine(e.output)}`;
    case "ActionFailed":
      return `${e.actionId} ✗ ${e.error.kind}: ${e.error.message}`;
    case "ActionAttemptFailed":
      return `${e.actionId} attempt ${e.attempt + 1} ✗ ${e.error.message}${e.retryAt ? ` · retry ${clock(e.retryAt)}` : ""}`;
    default: {
      const { type: _type, ...rest } = e as { type: string } & Record<string, unknown>;
      return oneLine(rest);
    }
  }
}
