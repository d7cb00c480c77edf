/**
 * Parley over MQTT 5 and 3.1.1: request/response and events through any broker, with aedes as
 * an embedded broker for zero-setup use.
 *
 * @packageDocumentation
 * @module @parley/mqtt
 */
export { type Broker, type StartBrokerOptions, startBroker } from './broker/broker.js';
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
export { mqtt } from './transport.js';
export type { MqttScheme } from './url.js';
