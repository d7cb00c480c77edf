/**
 * A URL as a transport may show it, a listener's `url` in particular: without credentials, and
 * with `port` in place of its own when given (the real port of a listener asked for port 0).
 * The path stays as given; a special scheme's empty path is written `/`.
 *
 * @param url - the URL the transport was made from
 * @param port - the real port, in place of the URL's own
 * @returns The URL as a string.
 *
 * @example
 * ```ts
 * publicUrl(new URL('ftp://alice:secret@127.0.0.1:0'), 2121); // "ftp://127.0.0.1:2121/"
 * ```
 */
export function publicUrl(url: URL, port?: number): string {
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  if (port !== undefined) shown.port = String(port);
  return shown.href;
}
