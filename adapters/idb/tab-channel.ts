import type { ChangeFeed, SequencedEvent } from "../../src/index.ts";

/** What one tab tells the others after each commit. */
export interface CommitMessage {
  runId: string;
  events: SequencedEvent[];
}

/** A BroadcastChannel that carries commits between the tabs of one database. */
export interface TabChannel {
  post(message: CommitMessage): void;
  close(): void;
}

/** The channel's name for the database `name`. */
export function tabChannelName(name: string): string {
  return `runlog:${name}`;
}

function isCommitMessage(value: unknown): value is CommitMessage {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Partial<CommitMessage>;
  return typeof m.runId === "string" && Array.isArray(m.events);
}

/**
 * Opens the channel and hands every well-formed message from another tab (or another host of this
 * page) to `receive`. `undefined` where there is no BroadcastChannel: each tab then sees only its
 * own commits live, and the others' on its next read.
 */
export function openTabChannel(
  name: string,
  receive: (message: CommitMessage) => void,
): TabChannel | undefined {
  if (typeof BroadcastChannel === "undefined") return undefined;
  const channel = new BroadcastChannel(tabChannelName(name));
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (isCommitMessage(event.data)) receive(event.data);
  };
  let open = true;
  return {
    post(message) {
      // A closed channel throws; a commit that already happened must not fail for it.
      if (!open) return;
      try {
        channel.postMessage(message);
      } catch {
        // An event that cannot be cloned reaches the other tabs on their next read instead.
      }
    },
    close() {
      open = false;
      channel.close();
    },
  };
}

/**
 * The tabs of one database as a host's change feed: each commit of this tab is posted to the
 * others, and theirs are handed to the host. No feed where there is no BroadcastChannel.
 */
export function tabFeed(name: string): ChangeFeed | undefined {
  if (typeof BroadcastChannel === "undefined") return undefined;
  let channel: TabChannel | undefined;
  return {
    open(changed) {
      channel = openTabChannel(name, ({ runId, events }) => changed(runId, events));
    },
    post(runId, events) {
      channel?.post({ runId, events: [...events] });
    },
    close() {
      channel?.close();
    },
  };
}
