/**
 * Calls `stop` once on the first SIGINT or SIGTERM, then exits 0 (1 when `stop` throws). A second
 * signal while stopping exits at once with 130, for a person who does not want to wait.
 */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`runlog: ${signal} again: exiting now\n`);
      process.exit(130);
    }
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(
          `runlog: shutdown failed: ${(error as Error)?.message ?? String(error)}\n`,
        );
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", handle);
  process.on("SIGTERM", handle);
}
