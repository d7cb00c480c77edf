import { ParleyError } from '@parley/core';
import { HTTP_DEFAULTS, type HttpOptions } from '../options.js';
import type { Answer } from './answer.js';

/** Sends the next request of a redirect chain: to `url`, with these header fields. */
export type Hop = (url: URL, fields: string[]) => Promise<Answer>;

/** The redirect codes followed: the ones `fetch` follows. */
const REDIRECT_CODES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Request fields that carry credentials: never sent to an origin other than the one before. */
const CREDENTIAL_FIELDS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** The most redirects a client follows for one call: 0 when redirects are not followed. */
export function redirectLimit(options: HttpOptions): number {
  if (options.followRedirects === false) return 0;
  return options.maxRedirects ?? HTTP_DEFAULTS.maxRedirects;
}

/**
 * Follows the redirects of an answer to a request sent to `from`, at most `limit` of them: each
 * `location` is resolved against the URL that answered it, and credential fields are dropped when
 * the origin changes. Returns the first answer that is not a redirect to follow; one redirect
 * more than `limit` is an `unavailable` ParleyError.
 */
export async function followRedirects(
  answer: Answer,
  from: URL,
  fields: string[],
  limit: number,
  hop: Hop,
): Promise<Answer> {
  let current = from;
  let sent = withoutFields(fields, BODY_FIELDS);
  for (let count = 0; ; count++) {
    const next = redirectTarget(answer, current);
    if (next === undefined) return answer;
    await answer.body.cancel();
    if (count === limit) throw tooManyRedirects(limit, from, next);
    if (next.origin !== current.origin) sent = withoutFields(sent, CREDENTIAL_FIELDS);
    answer = await hop(next, sent);
    current = next;
  }
}

/** Fields describing the first request's body: the requests that follow carry none. */
const BODY_FIELDS: ReadonlySet<string> = new Set(['content-length', 'content-type']);

/** Whether an answer's status code is one of the redirects followed (its `location` aside). */
export function isRedirect(answer: Answer): boolean {
  return REDIRECT_CODES.has(answer.statusCode);
}

/** Where a redirect leads, or `undefined` when the answer is not one to follow. */
function redirectTarget(answer: Answer, current: URL): URL | undefined {
  if (!isRedirect(answer)) return undefined;
  const location = answer.headers.get('location');
  if (location === undefined || location === '') return undefined;
  if (!URL.canParse(location, current.href)) return undefined;
  const next = new URL(location, current);
  return next.protocol === 'http:' || next.protocol === 'https:' ? next : undefined;
}

/** A flat name, value list without the named fields. */
function withoutFields(fields: string[], names: ReadonlySet<string>): string[] {
  const kept: string[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string;
    if (!names.has(name)) kept.push(name, fields[i + 1] as string);
  }
  return kept;
}

function tooManyRedirects(limit: number, from: URL, next: URL): ParleyError {
  return new ParleyError(
    'unavailable',
    `More than ${limit} redirects from ${from.origin}${from.pathname} (the next to ${next.origin}${next.pathname}): ` +
      'the server may redirect in a loop; raise maxRedirects if the chain is meant to be this long',
    { retryable: false },
  );
}
