import { memory, ParleyError, type Transport } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { smtp } from '@parley/smtp';

const FACTORIES: Readonly<Record<string, (url: string) => Transport>> = {
  'http:': http,
  'https:': http,
  'ftp:': ftp,
  'ftps:': ftp,
  'smtp:': smtp,
  'smtps:': smtp,
  'mqtt:': mqtt,
  'mqtts:': mqtt,
  'memory:': memory,
};

/** The URL schemes {@link transportFor} knows. */
export const SCHEMES: readonly string[] = Object.keys(FACTORIES).map((scheme) => scheme.slice(0, -1));

/**
 * The transport for a URL, chosen by its scheme: `http(s)`, `ftp(s)`, `smtp(s)`, `mqtt(s)` or `memory`.
 * An unknown scheme is a `bad_request` ParleyError naming the known ones.
 */
export function transportFor(url: string): Transport {
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch {
    throw new ParleyError('bad_request', `Not a URL: ${url}`);
  }
  const factory = FACTORIES[scheme];
  if (factory === undefined) {
    throw new ParleyError('bad_request', `Unknown scheme ${scheme} (known: ${SCHEMES.join(', ')})`);
  }
  return factory(url);
}
