/**
 * Runs tasks one after the other per key: what a handler needs when requests arriving together
 * (over any transport) write the same record. Two writes of one key never interleave, an append
 * never reads content another write is about to replace, and tasks of other keys run freely.
 * A failed task does not block the ones after it.
 *
 * @example
 * ```ts
 * const lock = new KeyedLock();
 * await lock.run('/notes/a.txt', () => appendLine('/notes/a.txt', 'hello'));
 * await lock.runAll(['/notes/a.txt', '/notes/b.txt'], () => rename('a.txt', 'b.txt'));
 * ```
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` once every earlier task of `key` has settled; resolves or rejects as it does. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /**
   * Runs `task` holding every key at once (a move holds both names). Keys are taken one by one
   * in sorted order, the same order for every caller, so two tasks never wait on each other.
   */
  runAll<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const held = sorted.reduceRight<() => Promise<T>>((inner, key) => () => this.run(key, inner), task);
    return held();
  }
}
