import type { PasswordCredentials } from '../auth.js';

/**
 * A URL's host name without the brackets of an IPv6 literal (`[::1]` is `::1`).
 *
 * @param url - the URL, as parsed by `new URL`
 *
 * @example
 * ```ts
 * hostOf(new URL('http://[::1]:8080/')); // "::1"
 * ```
 */
export function hostOf(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * A URL's port as a number, or `defaultPort` when the URL names none.
 *
 * @param url - the URL, as parsed by `new URL`
 * @param defaultPort - the protocol's default port
 *
 * @example
 * ```ts
 * portOf(new URL('ftp://127.0.0.1'), 21); // 21
 * portOf(new URL('ftp://127.0.0.1:2121'), 21); // 2121
 * ```
 */
export function portOf(url: URL, defaultPort: number): number {
  return url.port === '' ? defaultPort : Number(url.port);
}

/**
 * The user name and password of a URL (`ftp://alice:s%40cret@host`), decoded; none without a user name.
 *
 * @param url - the URL, as parsed by `new URL`
 * @returns The decoded credentials, or `undefined`.
 *
 * @example
 * ```ts
 * credentialsOf(new URL('ftp://alice:s%40cret@127.0.0.1')); // { kind: 'password', username: 'alice', password: 's@cret' }
 * ```
 */
export function credentialsOf(url: URL): PasswordCredentials | undefined {
  if (url.username === '') return undefined;
  return {
    kind: 'password',
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}
