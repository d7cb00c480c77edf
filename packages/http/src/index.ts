/**
 * Parley over HTTP/1.1 (and HTTPS): a `node:http` server and an undici client carrying the whole
 * Parley contract but events.
 *
 * @packageDocumentation
 * @module @parley/http
 */
export { HTTP_CONTRACT } from './contract.js';
export { HTTP_DEFAULTS, type HttpOptions, type HttpTlsOptions } from './options.js';
export type { HttpListener } from './server/listen.js';
export type { UpgradeHandler } from './server/upgrade.js';
export {
  HTTP_CODE_STATUSES,
  HTTP_STATUS_CODES,
  HTTP_STATUS_MAP,
  httpStatus,
  statusFromHttp,
} from './status-map.js';
export { http } from './transport.js';
