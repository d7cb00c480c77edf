/**
 * Parley over FTP: an FTP server that turns FTP commands into Parley requests, and a client
 * that turns Parley requests into FTP commands. See {@link ftp}.
 *
 * @packageDocumentation
 * @module @parley/ftp
 */
export { FTP_CLIENT_DEFAULTS, type FtpClientOptions } from './client/options.js';
export { FTP_CONTRACT } from './contract.js';
export type { FtpListener, FtpListenerStats } from './server/listen.js';
export {
  FTP_SERVER_DEFAULTS,
  type FtpServerOptions,
  type FtpTlsOptions,
  type PassivePortRange,
} from './server/options.js';
export {
  FTP_CODE_STATUSES,
  FTP_FAILURE_CODES,
  FTP_STATUS_MAP,
  FTP_STATUS_TABLE,
  FTP_SUCCESS_CODES,
  type FtpReply,
  type FtpReplyKind,
  type FtpStatusRow,
  ftpReply,
  quotePath,
  statusFromFtpReply,
} from './status-map.js';
export { type FtpOptions, ftp } from './transport.js';
