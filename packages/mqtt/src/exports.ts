/**
 * What `@parley/mqtt` exports in Node.js and in browsers alike: the contract, the options, the
 * status mapping and the topic layout. Each entry adds its own `mqtt` (and Node.js the broker).
 */
export { MQTT_CONTRACT } from './contract.js';
export type { EnvelopeHeader } from './envelope.js';
export { MQTT_DEFAULTS, MQTT_MAX_PACKET_BYTES, type MqttOptions } from './options.js';
export {
  MQTT_STATUS_MAP,
  type MqttReplyStatus,
  REASON_CODE_TO_STATUS,
  reasonCodeToStatus,
  replyStatus,
  STATUS_TO_REASON_CODE,
  statusToReasonCode,
} from './status-map.js';
export { eventFilter, eventTopic, plainReplyTopic, replyTopic, requestTopic } from './topics.js';
export type { MqttScheme } from './url.js';
