import { ParleyError } from './error.js';

/**
 * Whether a string holds a character that can make a name look like another one or hide part of
 * it: a C0 or C1 control character (U+0000 to U+001F, U+007F to U+009F), a bidirectional
 * override, embedding, isolate or mark (U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F,
 * U+061C), or an invisible one (U+200B to U+200D, U+2060, U+FEFF, U+180E). Paths holding one
 * are refused by {@link normalizePath}, so every transport refuses them alike.
 *
 * @param value - the string to check, a path or one of its segments
 *
 * @example
 * ```ts
 * hasSpoofingCharacters('invoice\u202Etxt.exe'); // true
 * hasSpoofingCharacters('/notes/a.txt'); // false
 * ```
 */
export function hasSpoofingCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    if (isSpoofing(value.charCodeAt(i))) return true;
  }
  return false;
}

function isSpoofing(code: number): boolean {
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  if (code < 0x61c) return false;
  return (
    code === 0x61c ||
    code === 0x180e ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    code === 0x2060 ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  );
}

/**
 * Normalises a decoded path: a leading `/`, no empty, `.` or `..` segments (`..` never climbs
 * above the root), and a trailing `/` kept when the input had one (it marks a collection).
 * A NUL, another control character, a bidirectional or invisible character (see
 * {@link hasSpoofingCharacters}), or half of a UTF-16 surrogate pair is refused with a
 * `bad_request` ParleyError.
 *
 * @param path - the decoded path to normalise
 * @returns The normalised path.
 *
 * @example
 * ```ts
 * normalizePath('notes//../a/./b/'); // "/a/b/"
 * ```
 */
export function normalizePath(path: string): string {
  if (path === lastNormal) return path;
  if (isNormal(path)) {
    lastNormal = path;
    return path;
  }
  if (path.includes('\0')) throw new ParleyError('bad_request', 'A path may not contain a NUL character');
  if (hasSpoofingCharacters(path)) {
    throw new ParleyError(
      'bad_request',
      'A path may not contain control characters, or bidirectional or invisible ones',
    );
  }
  if (LONE_SURROGATE.test(path)) {
    throw new ParleyError('bad_request', 'A path must be Unicode text: it holds half of a surrogate pair');
  }
  const segments: string[] = [];
  const parts = path.split('/');
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') segments.pop();
    else segments.push(part);
  }
  const last = parts[parts.length - 1];
  const collection = last === '' || last === '.' || last === '..';
  if (segments.length === 0) return '/';
  return `/${segments.join('/')}${collection ? '/' : ''}`;
}

/** A UTF-16 surrogate without its other half: no protocol carries such a string as it is. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The path last found normal: a client asks for the same path again and again, and comparing two
 * strings costs less than checking every character of one.
 */
let lastNormal: string | undefined;

/** Fast check for the common case: already normal, nothing to rebuild. */
function isNormal(path: string): boolean {
  if (path.charCodeAt(0) !== 47 /* / */) return false;
  // One pass: no NUL or other refused character, no surrogate (checked apart, rarely met), and
  // no `/` followed by `/` or `.`.
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (isSpoofing(code) || (code >= 0xd800 && code <= 0xdfff)) return false;
    if (code === 47) {
      const next = path.charCodeAt(i + 1);
      if (next === 47 || next === 46 /* . */) return false;
    }
  }
  return true;
}

/**
 * Splits a normalised path into its segments (`/a/b/` gives `['a', 'b']`).
 *
 * @param path - a normalised path
 * @returns Its segments, without empty ones.
 *
 * @example
 * ```ts
 * pathSegments('/notes/a.txt'); // ["notes", "a.txt"]
 * ```
 */
export function pathSegments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/**
 * Joins a collection path and a name (`joinPath('/notes/', 'a.txt')` is `/notes/a.txt`).
 *
 * @param base - the collection path, with or without its trailing `/`
 * @param name - the name to add
 * @returns The joined path.
 *
 * @example
 * ```ts
 * joinPath('/notes/', 'a.txt'); // "/notes/a.txt"
 * ```
 */
export function joinPath(base: string, name: string): string {
  return normalizePath(`${base}/${name}`);
}

/** The compiled form of a path pattern; see {@link compilePattern}. */
export interface PathPattern {
  /** The pattern as written. */
  readonly source: string;
  /** Matches a normalised path, returning its parameters, or `undefined` when it does not match. */
  match(path: string): Record<string, string> | undefined;
  /** For a pattern without parameters: the one path it matches. `undefined` otherwise. */
  readonly literal?: string | undefined;
}

/**
 * Compiles a path pattern. Segments are literal, `:name` (one segment, captured as `name`) or a
 * final `*` (the rest of the path, captured as `*`). A trailing `/` must match a trailing `/`.
 *
 * @param source - the pattern, such as `/notes/:name`
 * @returns The compiled pattern.
 *
 * @example
 * ```ts
 * compilePattern('/notes/:name').match('/notes/a.txt'); // { name: 'a.txt' }
 * ```
 */
export function compilePattern(source: string): PathPattern {
  const normal = normalizePath(source);
  const collection = normal.endsWith('/') && normal !== '/';
  const parts = pathSegments(normal);
  const rest = parts[parts.length - 1] === '*';
  if (rest) parts.pop();
  checkPattern(source, parts);
  const fixed = !rest && parts.every((part) => !part.startsWith(':'));
  return {
    source,
    literal: fixed ? normal : undefined,
    match(path) {
      if (fixed) return path === normal ? {} : undefined;
      const segments = pathSegments(path);
      if (rest ? segments.length < parts.length : segments.length !== parts.length) return undefined;
      if (!rest && collection !== (path.endsWith('/') && path !== '/')) return undefined;
      const params: Record<string, string> = {};
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i] as string;
        const segment = segments[i] as string;
        if (part.startsWith(':')) params[part.slice(1)] = segment;
        else if (part !== segment) return undefined;
      }
      if (rest) params['*'] = segments.slice(parts.length).join('/');
      return params;
    },
  };
}

/** Refuses a pattern that could never match as meant: `*` before the end, `:` without a name, a name twice. */
function checkPattern(source: string, parts: readonly string[]): void {
  const names = new Set<string>();
  for (const part of parts) {
    if (part === '*') throw new TypeError(`In the route ${source}, * may only be the last segment`);
    if (!part.startsWith(':')) continue;
    const name = part.slice(1);
    if (name === '') throw new TypeError(`In the route ${source}, a : must be followed by a parameter name`);
    if (names.has(name)) throw new TypeError(`The route ${source} names the parameter :${name} twice`);
    names.add(name);
  }
}
