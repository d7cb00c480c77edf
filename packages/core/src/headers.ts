import { ParleyError } from './error.js';
import { lowerFieldName, sameFieldName } from './kit/field-name.js';

/** Anything a {@link HeaderMap} can be built from. Names are matched without regard to case. */
export type HeadersInit =
  | HeaderMap
  | Iterable<readonly [string, string]>
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/**
 * Up to this many fields, a map keeps them in a flat name, value list (cheaper to build, copy and
 * scan than a `Map`); past it, and once written to, in a `Map`.
 */
const LIST_FIELDS = 16;

/**
 * How many look-ups a map made from a flat list answers by scanning that list as it is, before it
 * reads it into a list or `Map` of its own: most requests are asked about a few fields, if any.
 */
const FLAT_LOOKUPS = 8;

/** Where cookies joined into one `set-cookie` value meet: a comma before the next `name=`. */
const COOKIE_SEPARATOR = /,\s*(?=[^;,=\s]+=)/;

/** An HTTP field name (RFC 9110 section 5.1): one or more token characters. */
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The lower-case forms of names found to be tokens: a program sets the same few names again and
 * again, and each is checked once. Bounded, so that names from peers cannot grow it for good.
 */
const CHECKED_NAMES = new Map<string, string>();
const MAX_CHECKED_NAMES = 256;

/**
 * Case-insensitive header fields of a request, response or event.
 *
 * Names are stored lower-cased, values without leading or trailing spaces or tabs; a field given
 * several values keeps them joined with `, `.
 * As the Fetch standard's `Headers` does, a map refuses a name that is not an HTTP token and a
 * value holding CR, LF or NUL (a `ParleyError` with status `bad_request`), so that a field is
 * either carried the same way by every transport or refused before it is sent.
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
  /** The fields once written to, or when there are many. */
  #fields: Map<string, string> | undefined;
  /** Or: a few fields as a flat list of lower-case, distinct names and their values; never changed. */
  #list: readonly string[] | undefined;
  /**
   * Or: the flat name, value, name, value list the fields are read from on first use, or what
   * makes that list (see {@link HeaderMap.fromFlatLater}; one field for both, so that a map is
   * no larger for it).
   */
  #flat: readonly string[] | (() => readonly string[]) | undefined;
  /** Look-ups answered from {@link HeaderMap.#flat} so far (see {@link FLAT_LOOKUPS}). */
  #flatLookups = 0;

  /**
   * Makes a map of the given fields (none by default).
   *
   * @param init - the fields: an object, pairs, or another map
   */
  constructor(init?: HeadersInit) {
    if (init === undefined) return;
    if (init instanceof HeaderMap) {
      init.#readLater();
      // Lists are never changed, so copies share them.
      if (init.#fields !== undefined) this.#fields = new Map(init.#fields);
      else if (init.#list !== undefined) this.#list = init.#list;
      else this.#flat = init.#flat;
    } else if (Symbol.iterator in init) this.#keep(fieldsOf(init as Iterable<readonly [string, string]>));
    else this.#keep(recordFields(init as Readonly<Record<string, unknown>>));
  }

  /**
   * A map of a flat `[name, value, name, value, ...]` list, such as `node:http`'s `rawHeaders`.
   * The list is read on first use (so it must not change until then); repeated fields are joined.
   * Its names and values are not checked: they come from a protocol parser that checked them.
   */
  static fromFlat(list: readonly string[]): HeaderMap {
    const headers = new HeaderMap();
    if (list.length > 0) headers.#flat = list;
    return headers;
  }

  /**
   * A map of the flat list `read` returns (see {@link HeaderMap.fromFlat}), called only when the
   * map is first used: for fields that cost something to split out of a message and that most
   * handlers never look at. `read` is called at most once, and must not throw.
   */
  static fromFlatLater(read: () => readonly string[]): HeaderMap {
    const headers = new HeaderMap();
    headers.#flat = read;
    return headers;
  }

  /** Makes the flat list of {@link HeaderMap.fromFlatLater}, if not done yet. */
  #readLater(): void {
    const read = this.#flat;
    if (typeof read !== 'function') return;
    const list = read();
    this.#flat = list.length > 0 ? list : undefined;
  }

  /** Keeps fields built as a list, or as a map when they are many. */
  #keep(fields: string[] | Map<string, string>): void {
    if (Array.isArray(fields)) this.#list = fields;
    else this.#fields = fields;
  }

  /**
   * The flat list given to {@link HeaderMap.fromFlat} while a look-up may still scan it as it is,
   * else `undefined` (the list is read, if not done yet).
   */
  #scannable(): readonly string[] | undefined {
    this.#readLater();
    const flat = this.#flat as readonly string[] | undefined;
    if (flat === undefined) return undefined;
    if (this.#flatLookups++ < FLAT_LOOKUPS) return flat;
    this.#settle();
    return undefined;
  }

  /** Reads the flat list given to {@link HeaderMap.fromFlat}, if not done yet. */
  #settle(): void {
    this.#readLater();
    const flat = this.#flat as readonly string[] | undefined;
    if (flat === undefined) return;
    this.#flat = undefined;
    this.#keep(flatFields(flat));
  }

  /** The fields for writing: a `Map` from now on. */
  #map(): Map<string, string> {
    this.#settle();
    let fields = this.#fields;
    if (fields === undefined) {
      fields = new Map();
      const list = this.#list;
      if (list !== undefined)
        for (let i = 0; i < list.length; i += 2) fields.set(list[i] as string, list[i + 1] as string);
      this.#fields = fields;
      this.#list = undefined;
    }
    return fields;
  }

  /** The value of a field, or `undefined`. */
  get(name: string): string | undefined {
    const flat = this.#scannable();
    if (flat !== undefined) return flatValue(flat, name);
    if (this.#fields !== undefined) return this.#fields.get(lowerFieldName(name));
    const list = this.#list;
    // An empty map (most requests and responses) answers without lower-casing the name.
    if (list === undefined || list.length === 0) return undefined;
    const at = indexOf(list, lowerFieldName(name));
    return at === -1 ? undefined : list[at + 1];
  }

  /**
   * The `set-cookie` values, one per cookie, as `Headers.getSetCookie()` gives them. The map
   * keeps repeated fields joined with `, `, so the joined value is split at each comma followed
   * by `name=` (a comma inside an `Expires` date is followed by a day number and a space).
   */
  getSetCookie(): string[] {
    const value = this.get('set-cookie');
    if (value === undefined) return [];
    return value.includes(',') ? value.split(COOKIE_SEPARATOR) : [value];
  }

  /** Whether a field is present. */
  has(name: string): boolean {
    const flat = this.#scannable();
    if (flat !== undefined) return flatIndex(flat, name, 0) !== -1;
    if (this.#fields !== undefined) return this.#fields.has(lowerFieldName(name));
    const list = this.#list;
    return list !== undefined && list.length > 0 && indexOf(list, lowerFieldName(name)) !== -1;
  }

  /** Sets a field, replacing any value it had. Returns this map. */
  set(name: string, value: string): this {
    this.#map().set(fieldName(name), checkedValue(name, value));
    return this;
  }

  /** Adds a value to a field, joining it to an existing one with `, `. Returns this map. */
  append(name: string, value: string): this {
    appendField(this.#map(), fieldName(name), checkedValue(name, value));
    return this;
  }

  /** Removes a field. Returns whether it was present. */
  delete(name: string): boolean {
    return this.#map().delete(lowerFieldName(name));
  }

  /** The number of fields. */
  get size(): number {
    this.#settle();
    if (this.#fields !== undefined) return this.#fields.size;
    return this.#list === undefined ? 0 : this.#list.length / 2;
  }

  /** The fields as lower-case name and value pairs. */
  [Symbol.iterator](): IterableIterator<[string, string]> {
    this.#settle();
    if (this.#fields !== undefined) return this.#fields.entries();
    return listEntries(this.#list ?? []);
  }

  /** Calls `callback` with each field's lower-case name and value (cheaper than iterating). */
  forEach(callback: (value: string, name: string) => void): void {
    this.#settle();
    const fields = this.#fields;
    if (fields !== undefined) {
      fields.forEach((value, name) => {
        callback(value, name);
      });
      return;
    }
    const list = this.#list;
    if (list !== undefined)
      for (let i = 0; i < list.length; i += 2) callback(list[i + 1] as string, list[i] as string);
  }

  /**
   * The fields as a new flat `[name, value, name, value, ...]` list with lower-case names: the
   * shape `node:http`'s `writeHead` takes, with no pair made per field.
   */
  toFlat(): string[] {
    this.#settle();
    const fields = this.#fields;
    if (fields === undefined) return this.#list === undefined ? [] : this.#list.slice();
    const flat: string[] = [];
    fields.forEach((value, name) => {
      flat.push(name, value);
    });
    return flat;
  }

  /** The fields as a plain object with lower-case names. */
  toObject(): Record<string, string> {
    const object: Record<string, string> = {};
    this.forEach((value, name) => {
      object[name] = value;
    });
    return object;
  }
}

/** The position of a name in a flat list of lower-case names and values, or -1. */
function indexOf(list: readonly string[], key: string): number {
  for (let i = 0; i < list.length; i += 2) if (list[i] === key) return i;
  return -1;
}

/** The position of a name in a flat list of names in any case and their values, from `start`, or -1. */
function flatIndex(flat: readonly string[], name: string, start: number): number {
  for (let i = start; i + 1 < flat.length; i += 2) if (sameFieldName(flat[i] as string, name)) return i;
  return -1;
}

/** The value of a field in a flat list of names in any case (repeated fields joined), or `undefined`. */
function flatValue(flat: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let at = flatIndex(flat, name, 0); at !== -1; at = flatIndex(flat, name, at + 2)) {
    const next = fieldValue(flat[at + 1] as string);
    value = value === undefined ? next : `${value}, ${next}`;
  }
  return value;
}

function* listEntries(list: readonly string[]): IterableIterator<[string, string]> {
  for (let i = 0; i < list.length; i += 2) yield [list[i] as string, list[i + 1] as string];
}

/**
 * A field value without leading or trailing spaces or tabs (RFC 9110 section 5.5), as HTTP
 * carries it, so that every protocol delivers the same value.
 */
function fieldValue(value: string): string {
  const last = value.length - 1;
  if (last < 0) return value;
  const first = value.charCodeAt(0);
  const end = value.charCodeAt(last);
  if (first !== 32 && first !== 9 && end !== 32 && end !== 9) return value;
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** The lower-case form of a field name; refuses one that is not an HTTP token. */
function fieldName(name: string): string {
  const known = CHECKED_NAMES.get(name);
  if (known !== undefined) return known;
  if (!FIELD_NAME.test(name))
    throw new ParleyError(
      'bad_request',
      `${JSON.stringify(name)} is not a header field name (RFC 9110 token)`,
    );
  const lower = lowerFieldName(name);
  if (CHECKED_NAMES.size < MAX_CHECKED_NAMES) CHECKED_NAMES.set(name, lower);
  return lower;
}

/** A field value trimmed by {@link fieldValue}; refuses one holding CR, LF or NUL. */
function checkedValue(name: string, value: string): string {
  if (hasFieldBreak(value))
    throw new ParleyError(
      'bad_request',
      `The header field ${name} holds a CR, LF or NUL, which no field can carry`,
    );
  return fieldValue(value);
}

/** Whether a value holds what no protocol's field can carry: CR and LF end a field, NUL ends a C string. */
function hasFieldBreak(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 13 || code === 10 || code === 0) return true;
  }
  return false;
}

/** Adds a lower-case name's checked value to a map, joined to an existing value. */
function appendField(fields: Map<string, string>, key: string, value: string): void {
  const existing = fields.get(key);
  fields.set(key, existing === undefined ? value : `${existing}, ${value}`);
}

/**
 * Adds a field to a flat list of distinct lower-case names while the fields are few, or to the
 * `Map` they moved to past {@link LIST_FIELDS} (so that many fields never cost a scan each).
 * Name and value are checked unless `check` is false (fields a protocol parser already checked).
 * Returns that map once there is one.
 */
function addField(
  list: string[],
  map: Map<string, string> | undefined,
  name: string,
  raw: string,
  check: boolean,
): Map<string, string> | undefined {
  const key = check ? fieldName(name) : lowerFieldName(name);
  const value = check ? checkedValue(name, raw) : fieldValue(raw);
  if (map !== undefined) {
    appendField(map, key, value);
    return map;
  }
  const at = indexOf(list, key);
  if (at !== -1) list[at + 1] = `${list[at + 1]}, ${value}`;
  else if (list.length < LIST_FIELDS * 2) list.push(key, value);
  else {
    const moved = new Map<string, string>();
    for (let i = 0; i < list.length; i += 2) moved.set(list[i] as string, list[i + 1] as string);
    moved.set(key, value);
    return moved;
  }
  return undefined;
}

function fieldsOf(init: Iterable<readonly [string, string]>): string[] | Map<string, string> {
  const list: string[] = [];
  let map: Map<string, string> | undefined;
  for (const [name, value] of init) map = addField(list, map, name, value, true);
  return map ?? list;
}

function flatFields(flat: readonly string[]): string[] | Map<string, string> {
  const count = flat.length >> 1;
  if (count <= LIST_FIELDS) {
    // No more distinct names than fields: a list as long as the flat one holds them, with no
    // growing on the way; it is cut to size when fields repeat.
    const list = flat.slice(0, count * 2);
    let end = 0;
    for (let i = 0; i < count * 2; i += 2)
      end = putField(list, end, lowerFieldName(flat[i] as string), fieldValue(flat[i + 1] as string));
    // Setting `length` is a call into the runtime: only when fields repeated.
    if (end !== list.length) list.length = end;
    return list;
  }
  const list: string[] = [];
  let map: Map<string, string> | undefined;
  for (let i = 0; i + 1 < flat.length; i += 2)
    map = addField(list, map, flat[i] as string, flat[i + 1] as string, false);
  return map ?? list;
}

/**
 * Puts a field in the first `end` entries of a list made to size, joining a repeated name's value
 * to the first; returns where the fields now end.
 */
function putField(list: string[], end: number, key: string, value: string): number {
  for (let at = 0; at < end; at += 2) {
    if (list[at] === key) {
      list[at + 1] = `${list[at + 1]}, ${value}`;
      return end;
    }
  }
  list[end] = key;
  list[end + 1] = value;
  return end + 2;
}

function recordFields(init: Readonly<Record<string, unknown>>): string[] | Map<string, string> {
  const count = definedFields(init);
  if (count <= LIST_FIELDS) {
    // Made to size (most records name one to three fields): a list grown from empty would
    // reserve room for eight.
    const list = new Array<string>(count * 2);
    let end = 0;
    for (const name in init) {
      const text = recordValue(init, name);
      if (text !== undefined) end = putField(list, end, fieldName(name), checkedValue(name, text));
    }
    // Setting `length` is a call into the runtime: only when fields repeated.
    if (end !== list.length) list.length = end;
    return list;
  }
  const list: string[] = [];
  let map: Map<string, string> | undefined;
  for (const name in init) {
    const text = recordValue(init, name);
    if (text !== undefined) map = addField(list, map, name, text, true);
  }
  return map ?? list;
}

/** How many fields a record names: its own properties whose value is not `undefined`. */
function definedFields(init: Readonly<Record<string, unknown>>): number {
  let count = 0;
  for (const name in init) if (Object.hasOwn(init, name) && init[name] !== undefined) count++;
  return count;
}

/** The value a record gives a field, as text (several values joined), or `undefined` for none. */
function recordValue(init: Readonly<Record<string, unknown>>, name: string): string | undefined {
  if (!Object.hasOwn(init, name)) return undefined;
  const value = init[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  return Array.isArray(value)
    ? value.map((item: string) => checkedValue(name, item)).join(', ')
    : String(value);
}
