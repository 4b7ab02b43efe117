import { open } from "node:fs/promises";

/**
 * Makes a WAL database's commits durable without blocking the event loop: `sync()` fsyncs the
 * `-wal` file on libuv's thread pool. The database runs with `synchronous=NORMAL`, so a commit
 * writes its WAL frames without syncing them; syncing the file afterwards gives what `FULL` gives
 * (the WAL synced after the commit). Calls that arrive while a sync is running share the next one,
 * which starts after it: one fsync covers every commit written before it began.
 */
export class WalSync {
  readonly #path: string;
  #running = false;
  #waiting: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  /** `walPath` is the database file's path with `-wal` after it. */
  constructor(walPath: string) {
    this.#path = walPath;
  }

  /** Resolves once every commit written before the call is on disk. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      if (!this.#running) void this.#run();
    });
  }

  async #run(): Promise<void> {
    this.#running = true;
    while (this.#waiting.length > 0) {
      const group = this.#waiting;
      this.#waiting = [];
      try {
        await syncFile(this.#path);
        for (const waiter of group) waiter.resolve();
      } catch (error) {
        for (const waiter of group) waiter.reject(error);
      }
    }
    this.#running = false;
  }
}

async function syncFile(path: string): Promise<void> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, "r");
  } catch (error) {
    // No WAL file: the last connection closed, and SQLite checkpointed the WAL into the database
    // and synced it before removing the file.
    if ((error as { code?: unknown }).code === "ENOENT") return;
    throw error;
  }
  try {
    // fsync flushes the file's dirty pages whichever descriptor wrote them.
    await file.sync();
  } finally {
    await file.close();
  }
}
