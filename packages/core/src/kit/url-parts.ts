import type { PasswordCredentials } from '../auth.js';

/** A URL's host name without the brackets of an IPv6 literal (`[::1]` is `::1`). */
export function hostOf(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** A URL's port as a number, or `defaultPort` when the URL names none. */
export function portOf(url: URL, defaultPort: number): number {
  return url.port === '' ? defaultPort : Number(url.port);
}

/** The user name and password of a URL (`ftp://alice:s%40cret@host`), decoded; none without a user name. */
export function credentialsOf(url: URL): PasswordCredentials | undefined {
  if (url.username === '') return undefined;
  return {
    kind: 'password',
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}
