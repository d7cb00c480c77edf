/**
 * Parley over MQTT in browsers: the client side, over WebSocket (`ws://`, `wss://`) with
 * MQTT.js's browser build. The same topics, wire format and contract as `@parley/mqtt` in
 * Node.js; no embedded broker, and listening is refused.
 *
 * @packageDocumentation
 * @module @parley/mqtt/browser
 */

export { mqtt } from './browser-transport.js';
export { MQTT_CONTRACT } from './contract.js';
export type { EnvelopeHeader } from './envelope.js';
export { MQTT_MAX_PACKET_BYTES, type MqttOptions } from './options.js';
export {
  REASON_CODE_TO_STATUS,
  reasonCodeToStatus,
  replyStatus,
  STATUS_TO_REASON_CODE,
  statusToReasonCode,
} from './status-map.js';
export { eventFilter, eventTopic, plainReplyTopic, replyTopic, requestTopic } from './topics.js';
export type { MqttScheme } from './url.js';
