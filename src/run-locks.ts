/** Serializes async work per run id inside one process: the in-process half of "one writer per run". */
export class RunLocks {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier call for the same run has settled. */
  with<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(runId) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(runId, tail);
    void tail.then(() => {
      if (this.#tails.get(runId) === tail) this.#tails.delete(runId);
    });
    return result;
  }

  /** True while work for the run is queued or running. */
  isBusy(runId: string): boolean {
    return this.#tails.has(runId);
  }
}
