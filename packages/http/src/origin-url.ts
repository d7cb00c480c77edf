import { originOnly, parseTransportUrl } from '@parley/core/transport';

/** Parses an `http()` URL: `http://` or `https://`, naming an origin only (path `/`, no query). */
export function parseOriginUrl(url: string): URL {
  return originOnly(parseTransportUrl(url, ['http', 'https'], 'http()'), 'http()');
}
