import { METHODS } from '@parley/core';
import { roundTripStatuses, type TransportContract } from '@parley/core/transport';
import { MQTT_MAX_PACKET_BYTES } from './options.js';
import { MQTT_STATUS_MAP } from './status-map.js';
import { MAX_TOPIC_BYTES } from './topics.js';

/**
 * What MQTT carries of the Parley contract: every method and status, reply bodies, headers both
 * ways (as MQTT 5 user properties or in the 3.1.1 envelope), events, and password credentials.
 * Bodies travel as one message each (no streaming), so a body is bounded by the broker's
 * maximum packet size.
 */
export const MQTT_CONTRACT: TransportContract = {
  protocol: 'mqtt',
  methods: METHODS,
  statuses: roundTripStatuses(MQTT_STATUS_MAP),
  reply: 'body',
  requestHeaders: true,
  responseHeaders: true,
  streaming: false,
  events: true,
  auth: ['password'],
  tls: ['tls'],
  limits: { maxBodyBytes: MQTT_MAX_PACKET_BYTES, maxPathBytes: MAX_TOPIC_BYTES },
};
