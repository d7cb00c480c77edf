import { credentialsOf, hostOf } from '@parley/core/transport';
import type { SmtpOptions } from '../options.js';

/** Whether a host name or address is this machine: `localhost`, 127.0.0.0/8 or ::1. */
function isLoopback(host: string): boolean {
  const name = host.toLowerCase();
  return (
    name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name)
  );
}

/**
 * Whether an `smtp://` client must upgrade with STARTTLS before AUTH or a message, failing
 * rather than going on in clear text: when `starttls` is `'required'`, or when it is not given and
 * either `tls` options are (the caller asked for TLS) or the URL carries a password for a host
 * other than this machine (a server in the middle that hides STARTTLS would otherwise get it).
 *
 * @param url - the client's `smtp://` or `smtps://` URL
 * @param options - the client's options
 * @returns Whether STARTTLS is required.
 *
 * @example
 * ```ts
 * mustStartTls(new URL('smtp://me:secret@mail.example.com'), {}); // true
 * mustStartTls(new URL('smtp://127.0.0.1:2525'), {}); // false: upgraded when offered
 * ```
 */
export function mustStartTls(url: URL, options: SmtpOptions): boolean {
  if (url.protocol === 'smtps:') return false;
  if (options.starttls !== undefined) return options.starttls === 'required';
  if (options.tls !== undefined) return true;
  return credentialsOf(url) !== undefined && !isLoopback(hostOf(url));
}
