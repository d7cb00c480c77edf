/** A login a conformance suite hands a transport's client. */
export interface KitCredentials {
  /** The user name. */
  readonly username: string;
  /** The password. */
  readonly password: string;
}

/**
 * `url` with `credentials` in it (each part percent-encoded), as a transport reads a login from
 * its URL; `url` as it is without them. What most `client` functions of a conformance target
 * need.
 *
 * @example
 * ```ts
 * client: (url, credentials) => http(urlWithCredentials(url, credentials)),
 * ```
 */
export function urlWithCredentials(url: string, credentials?: KitCredentials): string {
  if (credentials === undefined) return url;
  const target = new URL(url);
  target.username = encodeURIComponent(credentials.username);
  target.password = encodeURIComponent(credentials.password);
  return target.href;
}
