import type { Status } from '@parley/core';
import { roundTripStatuses, type StatusMap } from '@parley/core/transport';

/** An SMTP reply: the three-digit code and the RFC 3463 enhanced status code. */
export interface SmtpReplyCode {
  /** The basic reply code, such as `550`. */
  readonly code: number;
  /** The enhanced status code, such as `5.1.1`. */
  readonly enhanced: string;
}

/**
 * The reply a server sends for each Parley status at the end of DATA (and at RCPT TO for
 * `not_found` and `method_not_allowed`). Success statuses all become `250 2.0.0`.
 *
 * | Parley status | SMTP reply | meaning |
 * | --- | --- | --- |
 * | ok, created, accepted, no_content | 250 2.0.0 | message accepted |
 * | bad_request | 554 5.6.0 | message content invalid |
 * | unauthenticated | 530 5.7.0 | authentication required |
 * | forbidden | 550 5.7.1 | delivery not authorized |
 * | not_found | 550 5.1.1 | no such mailbox |
 * | method_not_allowed | 550 5.2.1 | mailbox not accepting messages |
 * | timeout | 451 4.4.2 | timed out, try again |
 * | conflict, precondition_failed | 550 5.2.0 | mailbox state refuses it |
 * | too_large | 552 5.3.4 | message too big |
 * | too_many_requests | 452 4.5.3 | too many (recipients, or too fast) |
 * | insufficient_storage | 452 4.3.1 | mail system full |
 * | cancelled | 451 4.3.0 | aborted, try again |
 * | internal | 451 4.3.0 | local error in processing |
 * | not_implemented, unsupported | 502 5.5.1 | not implemented |
 * | unavailable | 451 4.3.2 | system not accepting messages now |
 */
export const STATUS_TO_SMTP: Readonly<Record<Status, SmtpReplyCode>> = {
  ok: { code: 250, enhanced: '2.0.0' },
  created: { code: 250, enhanced: '2.0.0' },
  accepted: { code: 250, enhanced: '2.0.0' },
  no_content: { code: 250, enhanced: '2.0.0' },
  bad_request: { code: 554, enhanced: '5.6.0' },
  unauthenticated: { code: 530, enhanced: '5.7.0' },
  forbidden: { code: 550, enhanced: '5.7.1' },
  not_found: { code: 550, enhanced: '5.1.1' },
  method_not_allowed: { code: 550, enhanced: '5.2.1' },
  timeout: { code: 451, enhanced: '4.4.2' },
  conflict: { code: 550, enhanced: '5.2.0' },
  precondition_failed: { code: 550, enhanced: '5.2.0' },
  too_large: { code: 552, enhanced: '5.3.4' },
  too_many_requests: { code: 452, enhanced: '4.5.3' },
  insufficient_storage: { code: 452, enhanced: '4.3.1' },
  cancelled: { code: 451, enhanced: '4.3.0' },
  internal: { code: 451, enhanced: '4.3.0' },
  not_implemented: { code: 502, enhanced: '5.5.1' },
  unavailable: { code: 451, enhanced: '4.3.2' },
  unsupported: { code: 502, enhanced: '5.5.1' },
};

/**
 * Enhanced status codes (RFC 3463, class ignored) that decide a reply's status before its
 * basic code does. `x.5.1` alone is not here: it means "invalid command" with 500 and
 * "not implemented" with 502, so the basic code decides.
 */
export const ENHANCED_TO_STATUS: Readonly<Record<string, Status>> = {
  '1.1': 'not_found',
  '1.2': 'not_found',
  '1.3': 'bad_request',
  '1.6': 'not_found',
  '1.7': 'bad_request',
  '1.8': 'bad_request',
  '1.10': 'not_found',
  '2.0': 'conflict',
  '2.1': 'method_not_allowed',
  '2.2': 'too_large',
  '2.3': 'too_large',
  '3.0': 'internal',
  '3.1': 'insufficient_storage',
  '3.2': 'unavailable',
  '3.4': 'too_large',
  '4.1': 'unavailable',
  '4.2': 'timeout',
  '4.7': 'timeout',
  '5.2': 'bad_request',
  '5.3': 'too_many_requests',
  '5.4': 'bad_request',
  '6.0': 'bad_request',
  '7.0': 'unauthenticated',
  '7.1': 'forbidden',
  '7.8': 'unauthenticated',
  '7.9': 'unauthenticated',
  '7.11': 'forbidden',
};

/**
 * Basic reply codes and their statuses, used when a reply has no enhanced status code the
 * table above knows. Unknown `2yz` is ok, `4yz` unavailable, `5yz` internal.
 *
 * | SMTP | Parley status |
 * | --- | --- |
 * | 2yz | ok |
 * | 421, 450, 452, 454 | unavailable |
 * | 451 | internal |
 * | 500, 501, 503, 553, 555 | bad_request |
 * | 502, 504 | not_implemented |
 * | 530, 535, 538 | unauthenticated |
 * | 534, 554 | forbidden |
 * | 550, 551 | not_found |
 * | 552 | too_large |
 */
export const SMTP_CODE_TO_STATUS: Readonly<Record<number, Status>> = {
  421: 'unavailable',
  450: 'unavailable',
  451: 'internal',
  452: 'unavailable',
  454: 'unavailable',
  500: 'bad_request',
  501: 'bad_request',
  502: 'not_implemented',
  503: 'bad_request',
  504: 'not_implemented',
  530: 'unauthenticated',
  534: 'forbidden',
  535: 'unauthenticated',
  538: 'unauthenticated',
  550: 'not_found',
  551: 'not_found',
  552: 'too_large',
  553: 'bad_request',
  554: 'forbidden',
  555: 'bad_request',
};

/**
 * The SMTP reply (code and enhanced status code) for a Parley status.
 *
 * @param status - the status
 * @returns The reply codes.
 *
 * @example
 * ```ts
 * statusToSmtp('not_found'); // { code: 550, enhanced: '5.1.1' }
 * ```
 */
export function statusToSmtp(status: Status): SmtpReplyCode {
  return STATUS_TO_SMTP[status];
}

/**
 * The Parley status of an SMTP reply: by its enhanced status code when it has a known one
 * (`550 5.7.1` is `forbidden`, `550 5.1.1` is `not_found`), else by its basic code.
 *
 * @param code - the basic reply code
 * @param enhanced - the enhanced status code, such as `5.1.1`
 *
 * @example
 * ```ts
 * smtpToStatus(550, '5.7.1'); // "forbidden"
 * smtpToStatus(452); // "unavailable"
 * ```
 */
export function smtpToStatus(code: number, enhanced?: string): Status {
  if (code >= 200 && code < 300) return 'ok';
  if (code === 421) return 'unavailable';
  const detail = enhanced?.match(/^[245]\.(\d{1,3}\.\d{1,3})$/)?.[1];
  const byEnhanced = detail === undefined ? undefined : ENHANCED_TO_STATUS[detail];
  if (byEnhanced !== undefined) return byEnhanced;
  const byCode = SMTP_CODE_TO_STATUS[code];
  if (byCode !== undefined) return byCode;
  return code >= 400 && code < 500 ? 'unavailable' : 'internal';
}

/**
 * Splits a reply line such as `550 5.1.1 No such mailbox` into its code, enhanced code and text.
 *
 * @param reply - one reply line
 * @returns Its parts.
 *
 * @example
 * ```ts
 * parseSmtpReply('550 5.1.1 No such mailbox'); // { code: 550, enhanced: '5.1.1', text: 'No such mailbox' }
 * ```
 */
export function parseSmtpReply(reply: string): {
  /** The basic code (`550`), 0 when the line has none. */
  code: number;
  /** The enhanced status code (`5.1.1`), when the line has one. */
  enhanced: string | undefined;
  /** The text after the codes. */
  text: string;
} {
  const match = /^(\d{3})[ -]?(?:([245]\.\d{1,3}\.\d{1,3})\s*)?(.*)$/s.exec(reply.trim());
  if (match === null) return { code: 0, enhanced: undefined, text: reply.trim() };
  return { code: Number(match[1]), enhanced: match[2], text: (match[3] ?? '').trim() };
}

/**
 * The SMTP status map: {@link statusToSmtp} one way, {@link smtpToStatus} the other. It is
 * honest about what an acknowledgement can carry: the successes other than `ok` (`created`,
 * `accepted`, `no_content`) are all `250` and read back as `ok`, `cancelled` shares
 * `451 4.3.0` with `internal`, and `precondition_failed` (RFC 3463 has no enhanced code for a
 * failed condition) shares `550 5.2.0` with `conflict`, the mailbox state refusing the message,
 * so those do not round-trip and the contract does not declare them.
 */
export const SMTP_STATUS_MAP: StatusMap<SmtpReplyCode> = {
  toWire: statusToSmtp,
  fromWire: (reply) => smtpToStatus(reply.code, reply.enhanced),
};

/**
 * The statuses that travel from a handler to a client unchanged over SMTP: those whose reply
 * reads back as the same status (`roundTripStatuses(SMTP_STATUS_MAP)`).
 */
export const SMTP_STATUSES: readonly Status[] = roundTripStatuses(SMTP_STATUS_MAP);
