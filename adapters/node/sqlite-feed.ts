import type { ChangeFeed, SequencedEvent } from "../../src/index.ts";
import type { SqliteStore } from "./sqlite-store.ts";

/** How many of another connection's new events the feed hands on at once. */
const ANNOUNCED_EVENTS = 1000;

/**
 * A change feed between connections to one SQLite file (the CLI with `--db`, another server):
 * every `pollMs` it asks the store which runs other connections appended to (`PRAGMA
 * data_version`, then the new rows), and hands each run's new events to the host.
 */
export function sqliteFeed(sqlite: SqliteStore, pollMs: number): ChangeFeed {
  let poll: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  return {
    open(changed) {
      // The first call sets the mark: only commits made after the host opened are news.
      sqlite.foreignCommits();
      poll = setInterval(() => {
        let moved: Map<string, number>;
        try {
          moved = sqlite.foreignCommits();
        } catch {
          return; // A store that fails now is tried again at the next poll.
        }
        for (const [runId, fromSeq] of moved) {
          void newEvents(sqlite, runId, fromSeq).then(
            (events) => {
              if (!closed) changed(runId, events);
            },
            () => undefined,
          );
        }
      }, pollMs);
      poll.unref?.();
    },
    close() {
      closed = true;
      clearInterval(poll);
    },
  };
}

/** The run's events from `fromSeq`; of a long tail, the first page and the last event. */
async function newEvents(
  sqlite: SqliteStore,
  runId: string,
  fromSeq: number,
): Promise<SequencedEvent[]> {
  const events = await sqlite.read(runId, fromSeq, ANNOUNCED_EVENTS);
  if (events.length === ANNOUNCED_EVENTS) {
    // A long tail: its last event is enough for a watcher to read the gap from the store.
    events.push(...(await sqlite.read(runId, await sqlite.head(runId), 1)));
  }
  return events;
}
