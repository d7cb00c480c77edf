import type { HeaderMap, Method, Response } from '@parley/core';

/**
 * Whether a `GET` or `HEAD` can be answered `304 Not Modified` instead of the handler's `ok`
 * answer (RFC 9110, section 13): its `If-None-Match` names the answer's `etag` (weak comparison,
 * or `*`), or, without `If-None-Match`, its `If-Modified-Since` is no earlier than the answer's
 * `last-modified`. The client then keeps the copy it has; the body is never read. An answer
 * without those validators, or a date that does not parse, is sent whole.
 */
export function isNotModified(method: Method, request: HeaderMap, response: Response): boolean {
  if (response.status !== 'ok' || (method !== 'GET' && method !== 'HEAD')) return false;
  // The answer's validators first: most answers have none, and the request's fields go unread.
  const etag = response.headers.get('etag');
  const modified = response.headers.get('last-modified');
  if (etag === undefined && modified === undefined) return false;
  const tags = request.get('if-none-match');
  if (tags !== undefined) {
    if (etag === undefined) return false;
    const wanted = opaque(etag);
    return tags.split(',').some((tag) => tag.trim() === '*' || opaque(tag.trim()) === wanted);
  }
  const since = request.get('if-modified-since');
  if (since === undefined || modified === undefined) return false;
  const sinceMs = Date.parse(since);
  const modifiedMs = Date.parse(modified);
  return Number.isFinite(sinceMs) && Number.isFinite(modifiedMs) && modifiedMs <= sinceMs;
}

/** An entity tag without its weakness mark, for the weak comparison `If-None-Match` uses. */
function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
