import { close, fdatasync, openSync } from "node:fs";

/**
 * Makes a WAL database's commits durable without blocking the event loop: `sync()` fdatasyncs the
 * `-wal` file on libuv's thread pool. The database runs with `synchronous=NORMAL`, so a commit
 * writes its WAL frames without syncing them; syncing the file afterwards gives what `FULL` gives
 * (the WAL synced after the commit). Calls that arrive while a sync is running share the next one,
 * which starts after it: one fsync covers every commit written before it began.
 *
 * Chosen by measurement (bench measure 2, "where the fsync of a cross-run group commit happens"):
 * against FULL on the main thread it keeps the throughput and takes the fsync off the event loop;
 * a writer worker thread with its own connection frees a little more of the main thread but
 * commits fewer appends per second with a longer tail (a message round trip per group), and a
 * second connection would make the store's own commits look foreign to `PRAGMA data_version`.
 */
export class WalSync {
  readonly #path: string;
  #fd: number | undefined;
  #running = false;
  #closed = false;
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

  /** Lets go of the file once the syncs asked for are done. Idempotent. */
  close(): void {
    this.#closed = true;
    if (!this.#running) this.#release();
  }

  async #run(): Promise<void> {
    this.#running = true;
    while (this.#waiting.length > 0) {
      const group = this.#waiting;
      this.#waiting = [];
      try {
        await this.#syncFile();
        for (const waiter of group) waiter.resolve();
      } catch (error) {
        for (const waiter of group) waiter.reject(error);
      }
    }
    this.#running = false;
    if (this.#closed) this.#release();
  }

  async #syncFile(): Promise<void> {
    if (this.#fd === undefined) {
      try {
        // The WAL keeps its inode while the database is open (SQLite rewrites it from the start
        // after a checkpoint), so one descriptor serves every sync. Opened once, synchronously.
        this.#fd = openSync(this.#path, "r");
      } catch (error) {
        // No WAL file: the last connection closed, and SQLite checkpointed the WAL into the
        // database and synced it before removing the file.
        if ((error as { code?: unknown }).code === "ENOENT") return;
        throw error;
      }
    }
    const fd = this.#fd;
    // fdatasync, as SQLite's own WAL sync: it flushes the file's data (and its size when it grew)
    // whichever descriptor wrote it, without the timestamp update an fsync would also wait for.
    // The callback form: one trip to the thread pool and back, no promise layers around it.
    await new Promise<void>((resolve, reject) => {
      fdatasync(fd, (error) => (error ? reject(error) : resolve()));
    });
  }

  #release(): void {
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd !== undefined) close(fd, () => undefined);
  }
}
