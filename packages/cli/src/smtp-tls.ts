import type { SmtpOptions } from '@parley/smtp';
import type { TlsTrust } from './tls-trust.js';

/** TLS asked for on `smtp://` and `lmtp://`: `--ssl` tries STARTTLS, `--ssl-reqd` requires it. */
export type StartTlsRequest = 'try' | 'required';

/**
 * The SMTP client's TLS options for the command, as curl takes `--ssl` and `--ssl-reqd`:
 *
 * - `smtps://`: implicit TLS, the certificate verified (unless `-k`).
 * - `--ssl-reqd`, or a password for a host other than this machine (the library's rule, stricter
 *   than curl, which would send it in clear text): STARTTLS required, the certificate verified;
 *   a server that does not offer it ends the command with curl's 64, nothing sent.
 * - `--ssl`: STARTTLS when offered, the certificate verified (curl's 60 when it fails).
 * - neither: curl asks for no TLS and never fails on a certificate; the command upgrades with
 *   STARTTLS when offered without verifying the certificate (`-k`'s trust, unless `--cacert`
 *   names one), so the mail is no less protected than curl's clear text and the exit is curl's.
 *
 * @param url - the transport's URL
 * @param trust - the trust of `-k` and `--cacert`, if given
 * @param startTls - `--ssl` or `--ssl-reqd`, if given
 * @param mustStartTls - the SMTP package's rule for a URL without options
 * @returns The options to give `smtp(url, options)`.
 *
 * @example
 * ```ts
 * smtpTlsOptions('smtp://127.0.0.1:2525', undefined, 'required', mustStartTls);
 * // { starttls: 'required' }
 * ```
 */
export function smtpTlsOptions(
  url: string,
  trust: TlsTrust | undefined,
  startTls: StartTlsRequest | undefined,
  mustStartTls: (url: URL, options: SmtpOptions) => boolean,
): SmtpOptions {
  const parsed = new URL(url);
  const tls = trust === undefined ? {} : { tls: { ...trust } };
  if (parsed.protocol === 'smtps:') return tls;
  if (startTls === 'required' || mustStartTls(parsed, {})) return { starttls: 'required', ...tls };
  if (startTls === 'try' || trust?.ca !== undefined) return { starttls: true, ...tls };
  return { starttls: true, tls: { rejectUnauthorized: false } };
}
