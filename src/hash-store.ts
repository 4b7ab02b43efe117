/** The event-stream hash of a run up to `atSeq`, as stored in record mode. */
export interface RunHash {
  runId: string;
  atSeq: number;
  hash: string;
}

/** Where record mode keeps hashes and verify mode finds them. */
export interface HashStore {
  load(runId: string): Promise<RunHash | undefined>;
  save(hash: RunHash): Promise<void>;
}

/** A `HashStore` in memory. */
export class MemoryHashStore implements HashStore {
  readonly #hashes = new Map<string, RunHash>();
  async load(runId: string): Promise<RunHash | undefined> {
    const hash = this.#hashes.get(runId);
    return hash ? { ...hash } : undefined;
  }
  async save(hash: RunHash): Promise<void> {
    this.#hashes.set(hash.runId, { ...hash });
  }
}
