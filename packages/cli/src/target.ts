import { CliError, EXIT } from './exit.js';

/** A URL of the command line split into the transport's URL and the request's path. */
export interface Target {
  /** The scheme without its colon: `http`, `ftp`... */
  readonly scheme: string;
  /** The URL the transport is made from (origin and credentials; MQTT adds the prefix). */
  readonly transportUrl: string;
  /** The request's path, decoded: a `?` in it is part of a name (`%3F` in the URL). */
  readonly path: string;
  /** The request's query without `?` (HTTP, WebSocket and MQTT carry one; empty for none). */
  readonly query: string;
}

/** The schemes whose URL path starts with a prefix naming the service, not the resource. */
const PREFIXED = new Set(['mqtt', 'mqtts', 'ws', 'wss']);

/** The schemes whose requests carry a query; another's URL may not have one. */
const QUERIED = new Set(['http', 'https', 'ws', 'wss', 'mqtt', 'mqtts']);

/** Options of {@link parseTarget}. */
export interface TargetOptions {
  /** Credentials (`user:pass`) over the URL's own. */
  readonly user?: string | undefined;
  /** The MQTT service prefix or the WebSocket endpoint's path; default the first path segment. */
  readonly prefix?: string | undefined;
}

/** A scheme, `//` and a first character that starts a host (not another `/`). */
const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/[^/\\]/i;

/**
 * Splits a URL: the path names the resource, except that MQTT's first path segment (or
 * `prefix`) is the service prefix, `mqtt://host:1883/<prefix>/<path>`, and WebSocket's is the
 * endpoint's path, `ws://host:8080/<endpoint>/<path>`.
 * A malformed URL is a {@link CliError} with exit code 3.
 *
 * @param text - the URL as given on the command line
 * @param options - the `prefix` naming a longer MQTT prefix or WebSocket endpoint path
 * @returns The transport URL and the path.
 *
 * @example
 * ```ts
 * parseTarget('mqtt://127.0.0.1:1883/notes-service/notes/a.txt');
 * // { scheme: 'mqtt', transportUrl: 'mqtt://127.0.0.1:1883/notes-service', path: '/notes/a.txt', query: '' }
 * ```
 */
export function parseTarget(text: string, options: TargetOptions = {}): Target {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(EXIT.badUrl, `Malformed URL: ${withoutPassword(text)}`);
  }
  // The URL standard reads `http:///a.txt` and `http:a.txt` as host `a.txt`; curl refuses both.
  if (url.hostname === '' || !AUTHORITY.test(text))
    throw new CliError(EXIT.badUrl, `No host in ${withoutPassword(text)}`);
  const scheme = url.protocol.slice(0, -1);
  if (options.user !== undefined) {
    const colon = options.user.indexOf(':');
    url.username = encodeURIComponent(colon < 0 ? options.user : options.user.slice(0, colon));
    url.password = colon < 0 ? '' : encodeURIComponent(options.user.slice(colon + 1));
  }
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    // Not the URL itself: it holds the password.
    throw new CliError(EXIT.badUrl, "Malformed escape in the URL's user name or password");
  }
  const origin = `${url.protocol}//${url.username === '' ? '' : `${url.username}${url.password === '' ? '' : `:${url.password}`}@`}${url.host}`;
  const path = url.pathname === '' ? '/' : url.pathname;
  const query = url.search.slice(1);
  if (query !== '' && !QUERIED.has(scheme)) {
    throw new CliError(EXIT.badUrl, `${scheme} URLs carry no query; drop "${url.search}"`);
  }
  if (!PREFIXED.has(scheme)) return { scheme, transportUrl: origin, path: decode(path), query };
  const { prefix, rest } = splitPrefix(path, options.prefix);
  return { scheme, transportUrl: `${origin}/${prefix}`, path: rest, query };
}

/** A scheme, `//` (or not), a user name and `:`, then the password up to the last `@` before the path. */
const PASSWORD = /^([a-z][a-z0-9+.-]*:(?:\/\/)?[^/?#:@]*:)[^/?#]*@/i;

/** A URL as given, its password (if any) written `****`: for messages, which may be logged. */
export function withoutPassword(text: string): string {
  return text.replace(PASSWORD, '$1****@');
}

function splitPrefix(path: string, wanted: string | undefined): { prefix: string; rest: string } {
  const trimmed = decode(path).replace(/^\/+/, '');
  if (wanted !== undefined) {
    const prefix = wanted.replace(/^\/+|\/+$/g, '');
    if (prefix === '') throw new CliError(EXIT.badUrl, '--prefix may not be empty');
    if (trimmed === prefix) return { prefix, rest: '/' };
    if (!trimmed.startsWith(`${prefix}/`)) {
      throw new CliError(EXIT.badUrl, `The URL's path does not start with the prefix ${prefix}`);
    }
    return { prefix, rest: trimmed.slice(prefix.length) };
  }
  const slash = trimmed.indexOf('/');
  const prefix = slash < 0 ? trimmed : trimmed.slice(0, slash);
  if (prefix === '') {
    throw new CliError(
      EXIT.badUrl,
      'An MQTT or WebSocket URL names its service prefix or endpoint first: mqtt://host:1883/<prefix>/<path>',
    );
  }
  return { prefix, rest: slash < 0 ? '/' : trimmed.slice(slash) };
}

function decode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new CliError(EXIT.badUrl, `Malformed escape in ${path}`);
  }
}

/** The target with another path (a redirect's location, a path given apart from the URL). */
export function withPath(target: Target, path: string): Target {
  return { ...target, path: path.startsWith('/') ? path : `/${path}` };
}
