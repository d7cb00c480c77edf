import { ParleyError } from '@parley/core';
import { parseTransportUrl } from '@parley/core/transport';

/** Parses an `http()` URL: `http://` or `https://`, naming an origin only (path `/`, no query). */
export function parseOriginUrl(url: string): URL {
  const parsed = parseTransportUrl(url, ['http', 'https'], 'http()');
  if (parsed.pathname !== '/' || parsed.search !== '') {
    throw new ParleyError(
      'bad_request',
      `An http() URL names an origin only; drop "${parsed.pathname}${parsed.search}"`,
    );
  }
  return parsed;
}
