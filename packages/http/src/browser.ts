/**
 * Parley over HTTP in browsers: the client side, on the platform's `fetch`. The same URLs,
 * contract and status mapping as `@parley/http` in Node.js; listening is refused.
 *
 * @packageDocumentation
 * @module @parley/http/browser
 */

export { http } from './browser-transport.js';
export { FETCH_HTTP_DEFAULTS, type FetchHttpOptions } from './client/fetch-options.js';
export { HTTP_CONTRACT } from './contract.js';
export { HTTP_CODE_STATUSES, HTTP_STATUS_CODES, httpStatus, statusFromHttp } from './status-map.js';
