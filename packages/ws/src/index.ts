/**
 * Parley over WebSocket: many requests in flight on one connection, bodies streamed in
 * flow-controlled frames both ways, cancellation, deadlines and server-pushed events. The server
 * runs on its own port or shares a Parley HTTP listener's port; the client runs on `ws` in
 * Node.js and on the platform's WebSocket in browsers (the `browser` export condition).
 *
 * @packageDocumentation
 * @module @parley/ws
 */
export { WS_CONTRACT } from './contract.js';
export { WS_DEFAULTS, type WsClientOptions, type WsOptions, type WsTlsOptions } from './options.js';
export type { UpgradeHandler, UpgradeHost } from './server/upgrade-host.js';
export {
  CLOSE,
  CLOSE_CODE_STATUSES,
  statusFromClose,
  statusFromUpgrade,
  UPGRADE_CODE_STATUSES,
  UPGRADE_STATUS_CODES,
} from './status-map.js';
export { ws } from './transport.js';
export { END, FRAME, INITIAL_WINDOW, MAX_CHUNK } from './wire/frame.js';
