/** No stream in the table's own slot (stream ids are 32-bit unsigned numbers). */
const NONE = -1;

/**
 * The streams in flight on one connection, by stream id. One stream at a time is the usual
 * case, so the table keeps one stream in a slot of its own and only the others in a `Map`: a
 * `Map` whose only entry comes and goes with every request allocates a new hash table each time
 * (about 270 bytes a round trip on each side, and a third of a microsecond).
 */
export class StreamTable<T> {
  #soleId = NONE;
  #sole: T | undefined;
  readonly #others = new Map<number, T>();

  /** How many streams are in the table. */
  get size(): number {
    return (this.#soleId === NONE ? 0 : 1) + this.#others.size;
  }

  /** The stream with this id, if any. */
  get(id: number): T | undefined {
    return id === this.#soleId ? this.#sole : this.#others.get(id);
  }

  /** Whether a stream has this id. */
  has(id: number): boolean {
    return id === this.#soleId || this.#others.has(id);
  }

  /** Adds the stream `id`, or replaces the one with that id. */
  set(id: number, stream: T): void {
    if (id === this.#soleId || (this.#soleId === NONE && !this.#others.has(id))) {
      this.#soleId = id;
      this.#sole = stream;
    } else this.#others.set(id, stream);
  }

  /** Removes the stream `id`; returns whether there was one. */
  delete(id: number): boolean {
    if (id !== this.#soleId) return this.#others.delete(id);
    this.#soleId = NONE;
    this.#sole = undefined;
    return true;
  }

  /** The ids and streams in the table now (a copy: the table may change while it is walked). */
  entries(): [number, T][] {
    const entries = [...this.#others];
    if (this.#soleId !== NONE) entries.push([this.#soleId, this.#sole as T]);
    return entries;
  }
}
