import type { SequencedEvent } from "../events.ts";

/**
 * How a host hears of commits made elsewhere to the runs of its store (another tab, another
 * connection to the same file) and, where others listen, tells them of its own. The host then
 * drops its copy of the run, hands the events to its watchers and follows the run's timer.
 * Implementations: none (one process, one Durable Object), a `BroadcastChannel` between tabs,
 * a poll of SQLite's `data_version` between connections.
 */
export interface ChangeFeed {
  /** Starts hearing other writers' commits. */
  open(changed: (runId: string, events: readonly SequencedEvent[]) => void): void;
  /** Tells the others of a commit made here. */
  post?(runId: string, events: readonly SequencedEvent[]): void;
  close(): void;
}
