import { ParleyError } from '@parley/core';

/** Parses an `http()` URL: `http://` or `https://`, naming an origin only (path `/`, no query). */
export function parseOriginUrl(url: string): URL {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ParleyError('bad_request', `http() takes http:// or https:// URLs, not ${parsed.protocol}`);
  }
  if (parsed.pathname !== '/' || parsed.search !== '') {
    throw new ParleyError(
      'bad_request',
      `An http() URL names an origin only; drop "${parsed.pathname}${parsed.search}"`,
    );
  }
  return parsed;
}
