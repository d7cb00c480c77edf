import type { HeaderMap } from './headers.js';

/** What a stored resource is now, as a request that changes it sees it: its validators. */
export interface CurrentVersion {
  /** Its entity tag, quoted (`"5f-1a"`), as its `etag` header field holds it. */
  readonly etag: string;
  /** When it was last changed. */
  readonly lastModified: Date;
}

/**
 * Why a request that changes a resource (`PUT`, `POST`, `DELETE`, `MOVE`) must not go ahead,
 * by its `If-Match`, `If-Unmodified-Since` and `If-None-Match` header fields (RFC 9110, section
 * 13.2.2), checked against the resource as it is now (`undefined`: there is none): `If-Match:
 * *` asks that it exist, `If-Match: "tag"` that it still be that version (strong comparison),
 * `If-Unmodified-Since` (only without `If-Match`) that it did not change after that date,
 * `If-None-Match: *` that it not exist (create, never replace) and `If-None-Match: "tag"` that it
 * not be that version. A client that sends them must not see another's change overwritten.
 *
 * @param request - the request's header fields
 * @param current - the resource's validators now, or `undefined` when it does not exist
 * @returns A readable reason when a condition fails, else `undefined`.
 *
 * @example
 * ```ts
 * failedPrecondition(new HeaderMap({ 'if-none-match': '*' }), current);
 * // "It exists already, and If-None-Match: * asks to create it only"
 * ```
 */
export function failedPrecondition(
  request: HeaderMap,
  current: CurrentVersion | undefined,
): string | undefined {
  const failed = failedReadPrecondition(request, current);
  if (failed !== undefined) return failed;
  const noneMatch = request.get('if-none-match');
  if (noneMatch === undefined || current === undefined) return undefined;
  if (isAny(noneMatch)) return 'It exists already, and If-None-Match: * asks to create it only';
  if (entityTags(noneMatch).some((tag) => opaque(tag) === opaque(current.etag)))
    return `It is the version ${current.etag}, which If-None-Match excludes`;
  return undefined;
}

/**
 * Why a request that reads a resource (`GET`, `HEAD`) must not be answered with it, by its
 * `If-Match` and `If-Unmodified-Since` header fields (RFC 9110, sections 13.1.1 and 13.1.4), as
 * {@link failedPrecondition} checks them: a client that asks for the version it named gets no
 * other. `If-None-Match` and `If-Modified-Since`, which ask for a `304 Not Modified`, are left
 * out: the contract has no such status, and the resource is sent. A server checks these only
 * when it would otherwise send the resource (a missing one stays `not_found`).
 *
 * @param request - the request's header fields
 * @param current - the resource's validators now, or `undefined` when it does not exist
 * @returns A readable reason when a condition fails, else `undefined`.
 *
 * @example
 * ```ts
 * failedReadPrecondition(new HeaderMap({ 'if-match': '"old"' }), current);
 * // "It changed: its entity tag is "5f-1a" now, not one If-Match names"
 * ```
 */
export function failedReadPrecondition(
  request: HeaderMap,
  current: CurrentVersion | undefined,
): string | undefined {
  const match = request.get('if-match');
  if (match !== undefined) {
    if (current === undefined) return 'It does not exist, and If-Match asks for a version of it';
    if (!isAny(match) && !entityTags(match).some((tag) => strongMatch(tag, current.etag)))
      return `It changed: its entity tag is ${current.etag} now, not one If-Match names`;
    return undefined;
  }
  const since = request.get('if-unmodified-since');
  const sinceMs = since === undefined ? Number.NaN : Date.parse(since);
  // HTTP dates count whole seconds: a change within the second named is no later change.
  if (current !== undefined && Number.isFinite(sinceMs) && wholeSeconds(current.lastModified) > sinceMs)
    return `It changed after ${since} (If-Unmodified-Since): at ${current.lastModified.toUTCString()}`;
  return undefined;
}

function isAny(field: string): boolean {
  return field.trim() === '*';
}

/** The entity tags of a list field (`"a", W/"b"`); a comma inside quotes is part of its tag. */
function entityTags(field: string): string[] {
  return field.match(/(?:W\/)?"[^"]*"/g) ?? [];
}

/** Strong comparison: both tags strong and the same. */
function strongMatch(tag: string, etag: string): boolean {
  return !tag.startsWith('W/') && !etag.startsWith('W/') && tag === etag;
}

/** A tag without its weakness mark, for the weak comparison `If-None-Match` uses. */
function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

function wholeSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000) * 1000;
}
