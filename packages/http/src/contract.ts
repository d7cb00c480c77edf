import { METHODS } from '@parley/core';
import { roundTripStatuses, type TransportContract } from '@parley/core/transport';
import { HTTP_STATUS_MAP } from './status-map.js';

/**
 * What HTTP/1.1 carries of the Parley contract: everything but events. All seven methods travel
 * natively, `LIST` as a `GET` on a collection path (one ending in `/`), `MOVE` as WebDAV's
 * `MOVE` with its target in a `Destination` field (a path, or an absolute URL of the same host). Header fields travel both
 * ways, replies carry a body, bodies stream, credentials are HTTP Basic (`password`) or Bearer
 * (`token`), and `https://` URLs use TLS from the first byte. The statuses are those that survive
 * a round trip through `status-map.ts` (all but `unsupported`, which is never sent).
 */
export const HTTP_CONTRACT: TransportContract = {
  protocol: 'http',
  methods: METHODS,
  statuses: roundTripStatuses(HTTP_STATUS_MAP),
  reply: 'body',
  requestHeaders: true,
  responseHeaders: true,
  streaming: true,
  events: false,
  auth: ['password', 'token'],
  tls: ['tls'],
  limits: {},
};
