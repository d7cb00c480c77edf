import type { Transport } from '@parley/core';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { ws } from '@parley/ws';
import type { Endpoints, RUNS } from './shared.js';

/**
 * How to make the transport of each protocol the example runs over. The same code in Node.js and
 * in the page: a bundler picks the packages' browser builds by the `browser` export condition.
 */
export function transportsTo(
  endpoints: Endpoints,
): Record<(typeof RUNS)[number]['protocol'], () => Transport> {
  return {
    http: () => http(endpoints.http),
    ws: () => ws(endpoints.ws),
    mqtt: () => mqtt(endpoints.mqtt),
  };
}
