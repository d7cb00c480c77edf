import { METHODS } from '@parley/core';
import { roundTripStatuses, type TransportContract } from '@parley/core/transport';
import { WS_STATUS_MAP } from './status-map.js';

/**
 * What Parley over WebSocket carries: the whole contract. Every method and status travels by
 * name in a frame's JSON head, header fields travel both ways, bodies stream in flow-controlled
 * frames, the server pushes events, and credentials ride on the upgrade (HTTP Basic `password`,
 * Bearer `token`); `wss://` URLs use TLS.
 */
export const WS_CONTRACT: TransportContract = {
  protocol: 'ws',
  methods: METHODS,
  statuses: roundTripStatuses(WS_STATUS_MAP),
  reply: 'body',
  requestHeaders: true,
  responseHeaders: true,
  streaming: true,
  events: true,
  auth: ['password', 'token'],
  tls: ['tls'],
  limits: {},
};
