import { checkNumber } from '@parley/core/transport';
import type { SmtpOptions } from '../options.js';

/** Defaults of the server options (see {@link SmtpOptions}). */
export const SMTP_SERVER_DEFAULTS = {
  /** Largest message, in bytes: 25 MiB. */
  maxBodyBytes: 25 * 1024 * 1024,
  /** Largest header block, in bytes: 64 KiB. */
  maxHeaderBytes: 64 * 1024,
  /** Most recipients of one message: 100. */
  maxRecipients: 100,
  /** Most connections at once: 1000. */
  maxConnections: 1000,
  /** Most connections at once from one address (an IPv6 /64 counts as one): 64. */
  maxConnectionsPerAddress: 64,
  /** Time a connection has to start its first transaction (MAIL FROM accepted), in ms: 30 000. */
  firstMailTimeoutMs: 30_000,
  /** Time from DATA to the end of the message, in ms: 600 000. */
  dataTimeoutMs: 600_000,
  /** Failed or throttled AUTH attempts on one connection; the last is answered 421 and closes it: 3. */
  maxAuthFailures: 3,
  /** Idle time before a connection is cut, in ms: 60 000. */
  socketTimeoutMs: 60_000,
  /** How long `close()` leaves connections open past the deadline, in ms: 1 000. */
  closeTimeoutMs: 1000,
  /** Wait before the greeting, in ms: 100. */
  earlyTalkerDelayMs: 100,
} as const;

/** The limits a server runs with: every entry of {@link SMTP_SERVER_DEFAULTS}, as numbers. */
export type ServerLimits = { readonly [K in keyof typeof SMTP_SERVER_DEFAULTS]: number };

/** Limits that count things and must be at least 1; the others are amounts of 0 or more. */
const COUNTS = new Set<keyof ServerLimits>([
  'maxRecipients',
  'maxConnections',
  'maxConnectionsPerAddress',
  'maxAuthFailures',
]);

/**
 * The server's limits: the options given (`maxMessageBytes` standing in for `maxBodyBytes`
 * when only it is given) over {@link SMTP_SERVER_DEFAULTS}. A limit out of range is a
 * `bad_request` ParleyError (see {@link checkNumber}).
 */
export function serverLimits(options: SmtpOptions): ServerLimits {
  const given: Partial<Record<keyof ServerLimits, number | undefined>> = {
    ...options,
    maxBodyBytes: options.maxBodyBytes ?? options.maxMessageBytes,
  };
  const limits: Record<string, number> = {};
  for (const key of Object.keys(SMTP_SERVER_DEFAULTS) as (keyof ServerLimits)[]) {
    const value = given[key] ?? SMTP_SERVER_DEFAULTS[key];
    limits[key] = checkNumber('SMTP', key, value, COUNTS.has(key) ? 'count' : 'amount', true);
  }
  return limits as ServerLimits;
}
