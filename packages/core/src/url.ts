import { ParleyError } from './error.js';

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

/**
 * Parses the URL a transport is made from, refusing with a `bad_request` ParleyError a string
 * that is not a URL (a port past 65535, an unclosed `[`...) or one whose scheme is not among
 * `schemes`. The message names the URL, its password masked.
 *
 * @param url - the URL as the caller gave it
 * @param schemes - the schemes the transport takes, without `:` (`['ftp', 'ftps']`)
 * @param maker - the function the URL was given to, for the message (`'ftp()'`)
 * @returns The parsed URL.
 *
 * @example
 * ```ts
 * parseTransportUrl('ftp://127.0.0.1:2121', ['ftp', 'ftps'], 'ftp()'); // URL
 * parseTransportUrl('ftp://127.0.0.1:99999', ['ftp', 'ftps'], 'ftp()'); // throws: ftp() got an invalid URL: ...
 * parseTransportUrl('http://127.0.0.1', ['ftp', 'ftps'], 'ftp()'); // throws: ftp() takes ftp:// or ftps:// URLs, not http://
 * ```
 */
export function parseTransportUrl(url: string, schemes: readonly string[], maker: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    const shown = String(url).replace(/(\/\/[^/@:]*:)[^/@]*@/, '$1***@');
    throw new ParleyError('bad_request', `${maker} got an invalid URL: ${shown}`, { cause: error });
  }
  if (!schemes.includes(parsed.protocol.slice(0, -1))) {
    const named = schemes.map((scheme) => `${scheme}://`);
    const list = named.length > 1 ? `${named.slice(0, -1).join(', ')} or ${named.at(-1)}` : named.join('');
    throw new ParleyError('bad_request', `${maker} takes ${list} URLs, not ${parsed.protocol}//`);
  }
  return parsed;
}

/**
 * Refuses, with a `bad_request` ParleyError, a URL with a path or a query, for a transport whose
 * URL names a server only (HTTP, FTP, SMTP): its requests' paths start at the root, so a path
 * in the URL would be dropped without a word.
 *
 * @param url - the URL, as {@link parseTransportUrl} returned it
 * @param maker - the function the URL was given to, for the message (`'ftp()'`)
 * @returns The same URL.
 *
 * @example
 * ```ts
 * originOnly(new URL('ftp://127.0.0.1:2121/base/'), 'ftp()'); // throws: An ftp() URL names an origin only; drop "/base/"
 * ```
 */
export function originOnly(url: URL, maker: string): URL {
  if ((url.pathname === '/' || url.pathname === '') && url.search === '') return url;
  throw new ParleyError(
    'bad_request',
    `An ${maker} URL names an origin only; drop "${url.pathname}${url.search}"`,
  );
}
