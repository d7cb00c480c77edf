/** Anything a {@link HeaderMap} can be built from. Names are matched without regard to case. */
export type HeadersInit =
  | HeaderMap
  | Iterable<readonly [string, string]>
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/**
 * Case-insensitive header fields of a request, response or event.
 *
 * Names are stored lower-cased; a field given several values keeps them joined with `, `.
 * A map made from a flat list (see {@link HeaderMap.fromFlat}) reads it only when first used,
 * so the fields of a request nobody looks at cost nothing.
 *
 * @example
 * ```ts
 * const headers = new HeaderMap({ 'Content-Type': 'text/plain' });
 * headers.append('x-tag', 'a');
 * headers.append('x-tag', 'b');
 * headers.get('content-type'); // "text/plain"
 * headers.get('x-tag'); // "a, b"
 * ```
 */
export class HeaderMap implements Iterable<[string, string]> {
  #fields: Map<string, string> | undefined;
  /** The flat name, value, name, value list the fields are read from on first use. */
  #flat: readonly string[] | undefined;

  /**
   * Makes a map of the given fields (none by default).
   *
   * @param init - the fields: an object, pairs, or another map
   */
  constructor(init?: HeadersInit) {
    if (init === undefined) return;
    if (init instanceof HeaderMap) this.#fields = new Map(init.#read());
    else if (Symbol.iterator in init) this.#fields = fieldsOf(init as Iterable<readonly [string, string]>);
    else this.#fields = recordFields(init as Readonly<Record<string, unknown>>);
  }

  /**
   * A map of a flat `[name, value, name, value, ...]` list, such as `node:http`'s `rawHeaders`.
   * The list is read on first use (so it must not change until then); repeated fields are joined.
   */
  static fromFlat(list: readonly string[]): HeaderMap {
    const headers = new HeaderMap();
    if (list.length > 0) headers.#flat = list;
    return headers;
  }

  /** The fields for reading: an empty map stays unbuilt. */
  #read(): ReadonlyMap<string, string> {
    return this.#fields ?? (this.#flat === undefined ? NO_FIELDS : this.#map());
  }

  /** The fields for writing, built on first use. */
  #map(): Map<string, string> {
    if (this.#fields !== undefined) return this.#fields;
    const flat = this.#flat;
    this.#flat = undefined;
    this.#fields = flat === undefined ? new Map() : flatFields(flat);
    return this.#fields;
  }

  /** The value of a field, or `undefined`. */
  get(name: string): string | undefined {
    return this.#read().get(name.toLowerCase());
  }

  /** Whether a field is present. */
  has(name: string): boolean {
    return this.#read().has(name.toLowerCase());
  }

  /** Sets a field, replacing any value it had. Returns this map. */
  set(name: string, value: string): this {
    this.#map().set(name.toLowerCase(), value);
    return this;
  }

  /** Adds a value to a field, joining it to an existing one with `, `. Returns this map. */
  append(name: string, value: string): this {
    appendField(this.#map(), name, value);
    return this;
  }

  /** Removes a field. Returns whether it was present. */
  delete(name: string): boolean {
    return this.#map().delete(name.toLowerCase());
  }

  /** The number of fields. */
  get size(): number {
    return this.#read().size;
  }

  /** The fields as lower-case name and value pairs. */
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#read().entries();
  }

  /** Calls `callback` with each field's lower-case name and value (cheaper than iterating). */
  forEach(callback: (value: string, name: string) => void): void {
    this.#read().forEach((value, name) => {
      callback(value, name);
    });
  }

  /** The fields as a plain object with lower-case names. */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.#read());
  }
}

/** The fields of every empty map that was never written to; never written to itself. */
const NO_FIELDS: ReadonlyMap<string, string> = new Map();

function appendField(fields: Map<string, string>, name: string, value: string): void {
  const key = name.toLowerCase();
  const existing = fields.get(key);
  fields.set(key, existing === undefined ? value : `${existing}, ${value}`);
}

function fieldsOf(init: Iterable<readonly [string, string]>): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [name, value] of init) appendField(fields, name, value);
  return fields;
}

function flatFields(list: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < list.length; i += 2) appendField(fields, list[i] as string, list[i + 1] as string);
  return fields;
}

function recordFields(init: Readonly<Record<string, unknown>>): Map<string, string> {
  const fields = new Map<string, string>();
  for (const name of Object.keys(init)) {
    const value = init[name];
    if (value === undefined) continue;
    appendField(fields, name, Array.isArray(value) ? value.join(', ') : String(value));
  }
  return fields;
}
