import { DESTINATION_HEADER, type HeaderMap } from '@parley/core';
import { decodeTargetPath } from './path.js';

/**
 * Turns the `Destination` of an HTTP `MOVE` (as in WebDAV: an absolute URL or an absolute path,
 * percent-encoded) into the contract's `destination` header field: the decoded path, any query
 * dropped. Returns why it cannot when the field is missing, is not a path, or names another
 * origin than the request's `Host` (answered `400`); `undefined` once rewritten.
 */
export function rewriteDestination(headers: HeaderMap, host: string | undefined): string | undefined {
  const value = headers.get(DESTINATION_HEADER);
  if (value === undefined || value === '') return 'A MOVE needs a Destination header field';
  let target = value;
  if (!value.startsWith('/')) {
    const url = parseUrl(value);
    if (url === undefined) return 'The Destination of a MOVE must be an absolute URL or a path';
    if (host === undefined || !sameHost(url, host)) {
      return 'The Destination of a MOVE must be on this server';
    }
    target = url.pathname;
  }
  const queryStart = target.indexOf('?');
  const path = decodeTargetPath(queryStart === -1 ? target : target.slice(0, queryStart));
  if (path === undefined) return 'The Destination of a MOVE is not a valid, percent-encoded path';
  headers.set(DESTINATION_HEADER, path);
  return undefined;
}

function parseUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a URL names the `Host` the request came to (default ports compared as such). */
function sameHost(url: URL, host: string): boolean {
  try {
    return new URL(`${url.protocol}//${host}`).host === url.host;
  } catch {
    return false;
  }
}
