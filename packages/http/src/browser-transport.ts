import { ParleyError, publicUrl, type Transport } from '@parley/core';
import { connectFetch } from './client/fetch-connect.js';
import type { FetchHttpOptions } from './client/fetch-options.js';
import { HTTP_CONTRACT } from './contract.js';
import { parseOriginUrl } from './origin-url.js';

/**
 * The HTTP transport in browsers: the client side only, on the platform's `fetch`. The same
 * URLs, contract and status mapping as `@parley/http` in Node.js; listening is refused with
 * `unsupported`.
 *
 * @example
 * ```ts
 * const client = createClient(http(location.origin));
 * const res = await client.get('/notes/hello.txt');
 * ```
 */
export function http(url: string, options: FetchHttpOptions = {}): Transport {
  const parsed = parseOriginUrl(url);
  return {
    contract: HTTP_CONTRACT,
    url: publicUrl(parsed),
    connect: (context) => connectFetch(parsed, options, context?.trace),
    listen: async () => {
      throw new ParleyError('unsupported', 'A browser cannot listen for HTTP connections', {
        retryable: false,
      });
    },
  };
}
