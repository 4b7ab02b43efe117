import type { Json } from "./json.ts";
import type { RunLock } from "./ports.ts";
import type { RunStatus } from "./run-status.ts";

/** Who waits for a command: answered once, with the run's status or an error. */
export interface Reply {
  resolve(status: RunStatus): void;
  reject(error: unknown): void;
}

/** What a command asks of its run, besides its own change. */
interface CommandBase<S> extends Reply {
  /** The run's state before its first event (the workflow's `init` of its input). */
  initial: S;
  /** Answer after the drive this command starts has settled, not once its change is recorded. */
  wait: boolean;
  /** Advance the run after the change. */
  drive: boolean;
  /** Set once the command is answered. */
  done?: boolean;
  /** Set once its change is committed (a retry after a stale head does not make it again). */
  recorded?: boolean;
}

/** A command for one run; its mailbox applies them in the order they came. */
export type Command<S> =
  | (CommandBase<S> & { kind: "drive" })
  | (CommandBase<S> & { kind: "status" })
  | (CommandBase<S> & { kind: "resume"; value: Json; interruptId?: string })
  | (CommandBase<S> & { kind: "signal"; name: string; value: Json; signalId: string })
  | (CommandBase<S> & { kind: "cancel"; reason: string });

/** A command as its sender gives it: the mailbox adds how to answer. */
export type NewCommand<S> =
  Command<S> extends infer C
    ? C extends Command<S>
      ? Omit<C, "resolve" | "reject">
      : never
    : never;

/** A signal command. */
export type SignalCommand<S> = Extract<Command<S>, { kind: "signal" }>;

/**
 * One run's queue of commands and the one loop that applies them: each batch of commands that
 * waited is applied with one load of the run and one commit, then one drive advances the run if a
 * command asked for it. Signals that come while that drive runs join its next commit. A cancel
 * is seen at once by the drive (its calls in flight are aborted) and recorded at its next step.
 */
export class RunMailbox<S> {
  readonly queue: Command<S>[] = [];
  /** The loop applying this mailbox's commands, while one runs. */
  serving: Promise<void> | undefined;
  /** A cancel asked for and not yet recorded, with its reason. */
  cancelReason: string | undefined;
  /** A drive recorded the cancel asked for: the cancel command answers with the run's status. */
  cancelRecorded = false;

  /** True when nothing is queued or running. */
  get idle(): boolean {
    return this.serving === undefined && this.queue.length === 0;
  }

  /**
   * Starts the loop unless it runs: it takes every command that waits as one batch, applies it
   * holding the run's lock, and goes on until the mailbox is empty; then `idle` is called.
   */
  serve(
    lock: RunLock,
    runId: string,
    apply: (batch: Command<S>[]) => Promise<void>,
    idle: () => void,
  ): void {
    if (this.serving) return;
    this.serving = (async () => {
      // Commands sent in the same turn (a burst of signals) form one batch: one commit.
      await Promise.resolve();
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0);
        await lock
          .hold(runId, () => apply(batch))
          .catch((error: unknown) => {
            for (const c of batch) fail(c, error);
          });
      }
    })().finally(() => {
      this.serving = undefined;
      if (this.queue.length > 0) this.serve(lock, runId, apply, idle);
      else idle();
    });
  }

  /** Removes and returns the queued signal commands, leaving the others in order. */
  takeSignals(): SignalCommand<S>[] {
    const signals: SignalCommand<S>[] = [];
    for (let i = 0; i < this.queue.length; ) {
      const c = this.queue[i] as Command<S>;
      if (c.kind === "signal") {
        signals.push(c);
        this.queue.splice(i, 1);
      } else i += 1;
    }
    return signals;
  }
}

/** Answers a command, once: a later answer is ignored. */
export function answer(command: Reply & { done?: boolean }, status: RunStatus): void {
  if (command.done) return;
  command.done = true;
  command.resolve(status);
}

/** Fails a command, once: a command already answered keeps its answer. */
export function fail(command: Reply & { done?: boolean }, error: unknown): void {
  if (command.done) return;
  command.done = true;
  command.reject(error);
}
