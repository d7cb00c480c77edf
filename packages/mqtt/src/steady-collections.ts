/** The key of the entry a steady collection never removes: no caller can make it. */
const ANCHOR: unique symbol = Symbol('anchor');

/**
 * A `Map` for entries that come and go one or a few at a time (the requests in flight, the
 * replies awaited): it holds one entry of its own, first and never removed, and hides it.
 *
 * V8 rebuilds a `Map`'s or `Set`'s hash table when a removal leaves it less than a quarter full,
 * with a call into the runtime and a new table. A collection that goes from one entry to none on
 * every request pays that on every removal (0.6 µs each in a loop on an idle machine, 1 to 2 µs
 * in the profile of a loaded one); with its own entry it never empties, and its table is only
 * rebuilt, at the same size, once every few additions.
 */
export class SteadyMap<K, V> {
  readonly #map = new Map<K | typeof ANCHOR, V | undefined>([[ANCHOR, undefined]]);

  /** The number of entries. */
  get size(): number {
    return this.#map.size - 1;
  }

  /** The value of `key`, or `undefined`. */
  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  /** Sets the value of `key` (a new key goes last). */
  set(key: K, value: V): void {
    this.#map.set(key, value);
  }

  /** Removes `key`; false when it was not there. */
  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  /** The value of the oldest entry, or `undefined` when there is none. */
  first(): V | undefined {
    const entries = this.#map.values();
    entries.next();
    return entries.next().value;
  }

  /** Removes every entry. */
  clear(): void {
    this.#map.clear();
    this.#map.set(ANCHOR, undefined);
  }

  /** The entries in insertion order (entries removed meanwhile are skipped, as a `Map` does). */
  *[Symbol.iterator](): IterableIterator<[K, V]> {
    const entries = this.#map.entries();
    entries.next();
    yield* entries as IterableIterator<[K, V]>;
  }
}

/** A `Set` for members that come and go one or a few at a time (see {@link SteadyMap}). */
export class SteadySet<T> {
  readonly #set = new Set<T | typeof ANCHOR>([ANCHOR]);

  /** The number of members. */
  get size(): number {
    return this.#set.size - 1;
  }

  /** Adds `member`. */
  add(member: T): void {
    this.#set.add(member);
  }

  /** Removes `member`; false when it was not there. */
  delete(member: T): boolean {
    return this.#set.delete(member);
  }

  /** Removes every member. */
  clear(): void {
    this.#set.clear();
    this.#set.add(ANCHOR);
  }

  /** The members in insertion order (members removed meanwhile are skipped, as a `Set` does). */
  *[Symbol.iterator](): IterableIterator<T> {
    const members = this.#set.values();
    members.next();
    yield* members as IterableIterator<T>;
  }
}
