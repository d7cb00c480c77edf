/**
 * Runs tasks one after the other per file, so that an append never copies a file that another
 * write is about to replace (which would drop that write), and two appends never both start
 * from the same old content.
 */
export class FileLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` once every earlier task of `file` has settled. */
  run<T>(file: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(file) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(file, tail);
    void tail.then(() => {
      if (this.#tails.get(file) === tail) this.#tails.delete(file);
    });
    return result;
  }
}
