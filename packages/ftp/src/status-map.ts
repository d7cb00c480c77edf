import { STATUS_TEXT, STATUSES, type Status } from '@parley/core';
import type { StatusMap } from '@parley/core/transport';

/**
 * What kind of command a reply answers; it decides the success code.
 *
 * - `transfer`: RETR, STOR, APPE, STOU, LIST, MLSD, NLST (success `226`)
 * - `file`: DELE, RMD, RNTO, CWD, MLST (success `250`)
 * - `directory`: MKD (success `257`, text starting with the quoted path)
 * - `info`: SIZE, MDTM (success `213`)
 * - `command`: anything else (success `200`)
 */
export type FtpReplyKind = 'transfer' | 'file' | 'directory' | 'info' | 'command';

/** An FTP reply: a three-digit code and one line of text. */
export interface FtpReply {
  /** The reply code, such as `226` or `550`. */
  readonly code: number;
  /** The reply text (one line, no CR or LF). */
  readonly text: string;
}

/** The success code sent for each {@link FtpReplyKind}. */
export const FTP_SUCCESS_CODES: Readonly<Record<FtpReplyKind, number>> = {
  transfer: 226,
  file: 250,
  directory: 257,
  info: 213,
  command: 200,
};

/**
 * The reply code a server sends for each failure status. Statuses that share a code
 * (`550`, `553`, `450`, `451`) are told apart by the status phrase that starts the reply text
 * (see {@link ftpReply}).
 */
export const FTP_FAILURE_CODES: Readonly<
  Record<Exclude<Status, 'ok' | 'created' | 'accepted' | 'no_content'>, number>
> = {
  bad_request: 501,
  unauthenticated: 530,
  forbidden: 550,
  not_found: 550,
  method_not_allowed: 504,
  timeout: 451,
  conflict: 553,
  precondition_failed: 553,
  too_large: 552,
  too_many_requests: 450,
  insufficient_storage: 452,
  cancelled: 426,
  internal: 451,
  not_implemented: 502,
  unavailable: 450,
  unsupported: 502,
};

/**
 * The status each reply code means when its text names no status (the reverse direction).
 * Codes not listed fall back by class: `2xx` is `ok`, `4xx` `unavailable`, `5xx` `internal`.
 */
export const FTP_CODE_STATUSES: Readonly<Record<number, Status>> = {
  200: 'ok',
  202: 'not_implemented',
  211: 'ok',
  212: 'ok',
  213: 'ok',
  215: 'ok',
  226: 'ok',
  250: 'ok',
  257: 'created',
  421: 'unavailable',
  425: 'unavailable',
  426: 'cancelled',
  450: 'unavailable',
  451: 'internal',
  452: 'insufficient_storage',
  500: 'bad_request',
  501: 'bad_request',
  502: 'not_implemented',
  503: 'bad_request',
  504: 'method_not_allowed',
  530: 'unauthenticated',
  532: 'forbidden',
  550: 'not_found',
  551: 'bad_request',
  552: 'too_large',
  553: 'conflict',
};

/** Statuses a code may carry besides its default, recognised by the phrase starting the text. */
const TAGGED: Readonly<Record<number, readonly Status[]>> = {
  200: ['created', 'accepted', 'no_content'],
  213: ['created', 'accepted', 'no_content'],
  226: ['created', 'accepted', 'no_content'],
  250: ['created', 'accepted', 'no_content'],
  257: ['ok', 'accepted', 'no_content'],
  421: ['timeout', 'too_many_requests'],
  450: ['too_many_requests'],
  451: ['timeout'],
  550: ['forbidden'],
  553: ['forbidden', 'precondition_failed'],
};

const PERMISSION = /permission|denied|not allowed|forbidden/i;

/**
 * The reply a server sends for a status. When the code alone does not name the status (it is
 * not the code's default in {@link FTP_CODE_STATUSES}), the text starts with the status phrase
 * of `STATUS_TEXT` followed by `: ` (`550 Forbidden: read-only`, `226 Created: transfer complete`).
 * For `directory` replies `path` is quoted first, as RFC 959 asks (`257 "/a/" created`).
 *
 * @param status - the status to answer
 * @param kind - what the command did, which picks the code
 * @param message - the text after the code and phrase
 * @param path - the path a `directory` reply names
 * @returns The code and text.
 *
 * @example
 * ```ts
 * ftpReply('forbidden', 'file', 'read-only'); // { code: 550, text: 'Forbidden: read-only' }
 * ```
 */
export function ftpReply(status: Status, kind: FtpReplyKind, message?: string, path?: string): FtpReply {
  const success = status === 'ok' || status === 'created' || status === 'accepted' || status === 'no_content';
  const code = success ? FTP_SUCCESS_CODES[kind] : FTP_FAILURE_CODES[status];
  const detail = oneLine(message ?? '');
  const tagged = statusOfCode(code) !== status || statusFromFtpReply(code, detail) !== status;
  let text = tagged ? `${STATUS_TEXT[status]}${detail ? `: ${detail}` : ''}` : detail || STATUS_TEXT[status];
  if (kind === 'directory' && success) text = `${quotePath(path ?? '/')} ${tagged ? text : 'created'}`;
  return { code, text };
}

/**
 * The status a reply means: the code's default status, refined by a status phrase starting the
 * text (after any `NNN-`/`NNN ` prefix and, for `257`, the quoted path). A `550`/`553` text
 * speaking of permission is `forbidden` even without the phrase.
 *
 * @param code - the reply code
 * @param text - the reply text
 *
 * @example
 * ```ts
 * statusFromFtpReply(550, 'Forbidden: read-only'); // "forbidden"
 * statusFromFtpReply(550, 'No such file'); // "not_found"
 * ```
 */
export function statusFromFtpReply(code: number, text = ''): Status {
  const base = statusOfCode(code);
  const candidates = TAGGED[code];
  if (candidates === undefined) return base;
  let rest = text.replace(/^\d{3}[- ]/, '').trimStart();
  if (code === 257) rest = rest.replace(/^"(?:[^"]|"")*"\s*/, '');
  const lower = rest.toLowerCase();
  if (startsWithPhrase(rest, lower, base)) return base;
  for (const status of candidates) {
    if (startsWithPhrase(rest, lower, status)) return status;
  }
  if ((code === 550 || code === 553) && PERMISSION.test(rest)) return 'forbidden';
  return base;
}

function startsWithPhrase(text: string, lower: string, status: Status): boolean {
  const phrase = STATUS_TEXT[status].toLowerCase();
  return lower.startsWith(phrase) && /^(?:$|[:.\s])/.test(text.slice(phrase.length));
}

function statusOfCode(code: number): Status {
  const known = FTP_CODE_STATUSES[code];
  if (known !== undefined) return known;
  if (code >= 200 && code < 300) return 'ok';
  if (code >= 400 && code < 500) return 'unavailable';
  return 'internal';
}

/**
 * Quotes a path for a `257` reply, doubling any `"` (RFC 959).
 *
 * @param path - the path
 * @returns The path between quotes.
 *
 * @example
 * ```ts
 * quotePath('/a "b"/'); // "\"/a \"\"b\"\"/\""
 * ```
 */
export function quotePath(path: string): string {
  return `"${path.replaceAll('"', '""')}"`;
}

function oneLine(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

/** One row of {@link FTP_STATUS_TABLE}. */
export interface FtpStatusRow {
  /** The Parley status. */
  readonly status: Status;
  /** The reply code a server sends (for success statuses: the transfer code, `226`). */
  readonly code: number;
  /** Whether the reply text must start with the status phrase to be read back as this status. */
  readonly phrase: string | undefined;
}

/**
 * The mapping as a table, one row per status a server can send: the code and, where the code
 * is shared, the phrase that starts the text. Rendered in the FTP guide.
 */
export const FTP_STATUS_TABLE: readonly FtpStatusRow[] = STATUSES.filter(
  (status) => status !== 'unsupported',
).map((status) => {
  const reply = ftpReply(status, 'transfer');
  return {
    status,
    code: reply.code,
    phrase: statusOfCode(reply.code) === status ? undefined : STATUS_TEXT[status],
  };
});

/**
 * The FTP status map in the shape every transport shares: a status to the reply a server sends
 * for a transfer (`226`, `550 Forbidden: ...`), and a reply (code and text) back to its status.
 */
export const FTP_STATUS_MAP: StatusMap<FtpReply> = {
  toWire: (status) => ftpReply(status, 'transfer'),
  fromWire: (reply) => statusFromFtpReply(reply.code, reply.text),
};
