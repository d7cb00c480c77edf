/**
 * Parley over WebSocket in browsers: the client side, on the platform's WebSocket. The same
 * frames and contract as `@parley/ws` in Node.js; listening is refused.
 *
 * @packageDocumentation
 * @module @parley/ws/browser
 */
export { WS_CONTRACT } from './contract.js';
export type { WsClientOptions } from './options.js';
export { CLOSE, CLOSE_CODE_STATUSES, statusFromClose } from './status-map.js';
export { ws } from './transport-browser.js';
export { END, FRAME, INITIAL_WINDOW, MAX_CHUNK } from './wire/frame.js';
