import { BatchChanges, type Change, resumeChange, signalChange } from "./command-changes.ts";
import { type CommitDeps, commitBatch, commitRefusable, type GivenEvents } from "./commit.ts";
import { type DriveDeps, driveRun } from "./drive.ts";
import { ConcurrencyError, KernelError, ValidationError } from "./errors.ts";
import { hashEvents } from "./event-hash.ts";
import type { EventStore } from "./event-store.ts";
import type { Event } from "./events.ts";
import type { Commit } from "./execute-pending.ts";
import type { HashStore } from "./hash-store.ts";
import { KernelMode } from "./kernel-mode.ts";
import type { Random, Scheduler } from "./ports.ts";
import type { LoadedRun } from "./restore.ts";
import type { RunCache } from "./run-cache.ts";
import { answer, type Command, fail, type RunMailbox } from "./run-mailbox.ts";
import { type RunStatus, statusOf } from "./run-status.ts";
import type { SignalLimits } from "./signal-limits.ts";

/** What applying a run's commands needs from its kernel. */
export interface ApplyParts<S> {
  events: EventStore;
  cache: RunCache<S>;
  commit: CommitDeps<S>;
  mode: KernelMode;
  hashes: HashStore | undefined;
  signalLimits: SignalLimits | undefined;
  conflictRetries: number;
  scheduler: Scheduler;
  random: Random;
  now(): number;
  driveDeps(runId: string, box: RunMailbox<S>, commit: Commit): DriveDeps<S>;
  onSettled?:
    | ((runId: string, outcome: { status: RunStatus } | { error: unknown }) => void)
    | undefined;
}

/** The events a drive's commit may carry signals along with: none of them can end the run. */
const JOINABLE: ReadonlySet<Event["type"]> = new Set([
  "ActionRequested",
  "ActionSucceeded",
  "StateUpdated",
  "RandomDrawn",
  "Interrupted",
]);

/**
 * Applies a batch of one run's commands: judges each against the run (and the batch before it),
 * commits their changes together, answers them, and drives the run once when asked; a drive's
 * commits take along the signals that came meanwhile.
 */
export class BatchApplier<S> {
  readonly #k: ApplyParts<S>;

  constructor(parts: ApplyParts<S>) {
    this.#k = parts;
  }

  /**
   * Applies the batch; after a stale head (another writer moved the log) the run is reloaded and
   * what is left of the batch applied again, up to `conflictRetries` times. A failure fails the
   * commands not yet answered, and is reported as the drive's outcome when one was asked for.
   */
  async applyRetrying(
    runId: string,
    box: RunMailbox<S>,
    batch: Command<S>[],
    initial: S,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.apply(runId, box, batch, initial);
        return;
      } catch (error) {
        this.#k.cache.drop(runId);
        if (ConcurrencyError.is(error) && attempt < this.#k.conflictRetries) {
          // Tabs without a shared lock drift apart after a short random pause.
          if (attempt > 0) await this.#k.scheduler.sleep(this.#k.random.next() * 4 * attempt);
          continue;
        }
        for (const c of batch) fail(c, error);
        if (batch.some((c) => c.drive)) this.#k.onSettled?.(runId, { error });
        return;
      }
    }
  }

  /**
   * Applies the batch once: one load, the changes of its commands in one commit, their answers,
   * then one drive when a command asked for it.
   */
  async apply(runId: string, box: RunMailbox<S>, batch: Command<S>[], initial: S): Promise<void> {
    const run = await this.#k.cache.load(runId, initial);
    const afterDrive: Command<S>[] = [];
    const recorded: Command<S>[] = [];
    let drive = false;
    const route = (c: Command<S>) => {
      if (c.drive) drive = true;
      (c.wait && c.drive ? afterDrive : recorded).push(c);
    };
    const changes = new BatchChanges(run.meta);
    const groups: { command: Command<S>; event: Event }[] = [];
    for (const c of batch) {
      if (c.done) continue;
      if (c.kind === "status") {
        answer(c, statusOf(run.meta, this.#k.now()));
        continue;
      }
      if (c.kind === "drive" || c.recorded) {
        route(c);
        continue;
      }
      const change = await this.#change(runId, box, c, changes);
      if ("refused" in change) fail(c, change.refused);
      else if ("repeat" in change) route(c);
      else groups.push({ command: c, event: change.event });
    }
    await this.#commitGroups(runId, run, groups);
    for (const { command } of groups) {
      if (command.done) continue;
      command.recorded = true;
      route(command);
    }
    for (const c of recorded) answer(c, statusOf(run.meta, this.#k.now()));
    if (!drive) {
      for (const c of afterDrive) answer(c, statusOf(run.meta, this.#k.now()));
      return;
    }
    await driveRun(
      this.#k.driveDeps(runId, box, (given) =>
        this.#commitJoined(runId, box, run, batch, afterDrive, given),
      ),
      runId,
      run,
    );
    // A cancel that stopped actions in flight was recorded with their outcomes.
    if (box.cancelReason !== undefined && run.meta.terminal?.type === "cancelled") {
      box.cancelReason = undefined;
      box.cancelRecorded = true;
    }
    const status = await this.#settle(runId, run);
    for (const c of afterDrive) answer(c, status);
    this.#k.onSettled?.(runId, { status });
  }

  /** What one command changes; a cancel ends the run unless it has ended (or a drive ended it). */
  async #change(
    runId: string,
    box: RunMailbox<S>,
    c: Command<S>,
    b: BatchChanges,
  ): Promise<Change> {
    if (c.kind === "resume") return resumeChange(runId, c, b);
    if (c.kind === "signal") return signalChange(this.#k.events, runId, c, b, this.#k.signalLimits);
    if (c.kind !== "cancel") return { repeat: true };
    const terminal = b.meta.terminal;
    if (b.ended || terminal) {
      if (box.cancelRecorded && terminal?.type === "cancelled") {
        box.cancelRecorded = false;
        return { repeat: true };
      }
      const how = terminal?.type ?? "cancelled";
      return {
        refused: new KernelError(
          "conflict",
          `run ${runId} has already ${how}; it cannot be cancelled`,
        ),
      };
    }
    b.ended = true;
    const reason = box.cancelReason ?? c.reason;
    box.cancelReason = undefined;
    return { event: { type: "Cancelled", reason } };
  }

  /**
   * Commits the changes of a batch at once. When the store refuses the batch (a value it cannot
   * hold), each change is committed alone, so a bad one fails alone and the others are taken.
   */
  async #commitGroups(
    runId: string,
    run: LoadedRun<S>,
    groups: { command: Command<S>; event: Event }[],
  ): Promise<void> {
    if (groups.length === 0) return;
    const keep = (r: LoadedRun<S>) => this.#k.cache.keep(runId, r);
    const all = groups.map((g) => g.event);
    if ((await commitRefusable(this.#k.commit, runId, run, all, keep)) === undefined) return;
    for (const g of groups) {
      const why = await commitRefusable(this.#k.commit, runId, run, [g.event], keep);
      if (why) fail(g.command, why);
    }
  }

  /**
   * A drive's commit, carrying along the signals that came since the last one (after the drive's
   * own events, which were decided without them): a signal during a drive costs no commit of its
   * own. Commits that may end the run go alone; the signals then wait for the next batch.
   */
  async #commitJoined(
    runId: string,
    box: RunMailbox<S>,
    run: LoadedRun<S>,
    batch: Command<S>[],
    afterDrive: Command<S>[],
    given: GivenEvents,
  ): Promise<void> {
    const joinable =
      typeof given !== "function" &&
      given.every((e) => JOINABLE.has(e.type)) &&
      box.queue.some((c) => c.kind === "signal");
    if (!joinable) return commitBatch(this.#k.commit, runId, run, given);
    const taken = box.takeSignals();
    batch.push(...taken);
    const changes = new BatchChanges(run.meta);
    const joined: Command<S>[] = [];
    const extra: Event[] = [];
    for (const c of taken) {
      const change = await signalChange(this.#k.events, runId, c, changes, this.#k.signalLimits);
      if ("refused" in change) fail(c, change.refused);
      else joined.push(c);
      if ("event" in change) extra.push(change.event);
    }
    try {
      await commitBatch(this.#k.commit, runId, run, [...given, ...extra]);
    } catch (error) {
      if (!ValidationError.is(error) || extra.length === 0) throw error;
      // A value the store refuses: the batch starts again from the store, and its signals (now
      // in it) are then committed one by one, so the bad one fails alone.
      throw new ConcurrencyError(runId, run.meta.head, run.meta.head);
    }
    for (const command of joined) {
      if (command.done) continue;
      command.recorded = true;
      if (command.wait && command.drive) afterDrive.push(command);
      else answer(command, statusOf(run.meta, this.#k.now()));
    }
  }

  async #settle(runId: string, run: LoadedRun<S>): Promise<RunStatus> {
    if (this.#k.mode === KernelMode.Record && this.#k.hashes) {
      const events = await this.#k.events.read(runId, 1);
      await this.#k.hashes.save({ runId, atSeq: run.meta.head, hash: await hashEvents(events) });
    }
    return statusOf(run.meta, this.#k.now());
  }
}
