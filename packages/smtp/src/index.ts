/**
 * Parley over SMTP: a `POST` to a path is a message to that path's mailbox, answered by the
 * SMTP acknowledgement. Servers on smtp-server, clients on nodemailer, MIME by postal-mime.
 *
 * @packageDocumentation
 * @module @parley/smtp
 */
export { addressToPath, pathToAddress } from './address.js';
export { mustStartTls } from './client/starttls-policy.js';
export { SMTP_CONTRACT } from './contract.js';
export type { MailAddress, MailAttachment, MailGroup, ParsedMail } from './mail-types.js';
export type { SmtpOptions } from './options.js';
export { type ParseMailOptions, parseMail } from './parse-mail.js';
export { SMTP_SERVER_DEFAULTS } from './server/limits.js';
export {
  ENHANCED_TO_STATUS,
  parseSmtpReply,
  SMTP_CODE_TO_STATUS,
  SMTP_STATUS_MAP,
  SMTP_STATUSES,
  type SmtpReplyCode,
  STATUS_TO_SMTP,
  smtpToStatus,
  statusToSmtp,
} from './status-map.js';
export { smtp } from './transport.js';
