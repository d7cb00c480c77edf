/**
 * Parley over MQTT 5 and 3.1.1: request/response and events through any broker, with aedes as
 * an embedded broker for zero-setup use.
 *
 * @packageDocumentation
 * @module @parley/mqtt
 */
export { type Broker, type StartBrokerOptions, startBroker } from './broker/broker.js';
export * from './exports.js';
export { mqtt } from './transport.js';
