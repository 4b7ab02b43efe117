import type { Clock, Json, SequencedEvent, Waker, WakerFactory } from "runlog";

/** A waker that records what it was asked and fires only when the test says so. */
export class RecordingWaker {
  readonly scheduled = new Map<string, number>();
  wake: (runId: string) => void = () => {};
  readonly factory: WakerFactory = (wake) => {
    this.wake = wake;
    const waker: Waker = {
      schedule: (runId, at) => void this.scheduled.set(runId, at),
      cancel: (runId) => void this.scheduled.delete(runId),
      close: () => this.scheduled.clear(),
    };
    return waker;
  };
  /** Fires every wake-up due at `clock.now()`. */
  fireDue(clock: Clock): string[] {
    const due = [...this.scheduled].filter(([, at]) => at <= clock.now()).map(([id]) => id);
    for (const id of due) {
      this.scheduled.delete(id);
      this.wake(id);
    }
    return due;
  }
}

/** The event types of a log. */
export const typesOf = (events: readonly SequencedEvent[]) => events.map((e) => e.event.type);

/** The outputs of ActionSucceeded events, in order. */
export const outputsOf = (events: readonly SequencedEvent[]): Json[] =>
  events.flatMap((e) => (e.event.type === "ActionSucceeded" ? [e.event.output] : []));
