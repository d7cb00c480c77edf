/**
 * Parley over MQTT in browsers: the client side, over WebSocket (`ws://`, `wss://`) with
 * MQTT.js's browser build. The same topics, wire format and contract as `@parley/mqtt` in
 * Node.js; no embedded broker, and listening is refused.
 *
 * @packageDocumentation
 * @module @parley/mqtt/browser
 */

export { mqtt } from './browser-transport.js';
export * from './exports.js';
