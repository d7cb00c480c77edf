/** Anything a {@link HeaderMap} can be built from. Names are matched without regard to case. */
export type HeadersInit =
  | HeaderMap
  | Iterable<readonly [string, string]>
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/**
 * Case-insensitive header fields of a request, response or event.
 *
 * Names are stored lower-cased; a field given several values keeps them joined with `, `.
 */
export class HeaderMap implements Iterable<[string, string]> {
  readonly #fields = new Map<string, string>();

  constructor(init?: HeadersInit) {
    if (init === undefined) return;
    if (init instanceof HeaderMap) {
      for (const [name, value] of init) this.#fields.set(name, value);
    } else if (Symbol.iterator in init) {
      for (const [name, value] of init as Iterable<readonly [string, string]>) this.append(name, value);
    } else {
      for (const name of Object.keys(init)) {
        const value = (init as Record<string, unknown>)[name];
        if (value === undefined) continue;
        this.append(name, Array.isArray(value) ? value.join(', ') : String(value));
      }
    }
  }

  /** The value of a field, or `undefined`. */
  get(name: string): string | undefined {
    return this.#fields.get(name.toLowerCase());
  }

  /** Whether a field is present. */
  has(name: string): boolean {
    return this.#fields.has(name.toLowerCase());
  }

  /** Sets a field, replacing any value it had. Returns this map. */
  set(name: string, value: string): this {
    this.#fields.set(name.toLowerCase(), value);
    return this;
  }

  /** Adds a value to a field, joining it to an existing one with `, `. Returns this map. */
  append(name: string, value: string): this {
    const key = name.toLowerCase();
    const existing = this.#fields.get(key);
    this.#fields.set(key, existing === undefined ? value : `${existing}, ${value}`);
    return this;
  }

  /** Removes a field. Returns whether it was present. */
  delete(name: string): boolean {
    return this.#fields.delete(name.toLowerCase());
  }

  /** The number of fields. */
  get size(): number {
    return this.#fields.size;
  }

  /** The fields as lower-case name and value pairs. */
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#fields.entries();
  }

  /** The fields as a plain object with lower-case names. */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.#fields);
  }
}
