import { publicUrl, type Transport } from '@parley/core';
import { originOnly, parseTransportUrl } from '@parley/core/transport';
import { connectSmtp } from './client/connect.js';
import { SMTP_CONTRACT } from './contract.js';
import type { SmtpOptions } from './options.js';
import { SmtpListener } from './server/smtp-listener.js';

/** The URL schemes of the transport. */
const SCHEMES = ['smtp', 'smtps', 'lmtp'];

/**
 * The SMTP transport: `smtp://host:port` (STARTTLS when `tls` is given), `smtps://` (TLS from
 * the first byte) or `lmtp://`. A client sends each `POST` as a message to the mailbox of its
 * path; a server turns each message into a `POST` per recipient. Credentials for AUTH ride
 * in the URL's userinfo (`smtp://alice:secret@127.0.0.1:2525`). A URL that does not parse or
 * has another scheme is a `bad_request` ParleyError.
 *
 * @param url - `smtp://host:port`, `smtps://` or `lmtp://`, with AUTH credentials in the userinfo
 * @param options - limits, timeouts, TLS and the mail domain
 * @returns The transport.
 *
 * @example
 * ```ts
 * await server.listen(smtp('smtp://127.0.0.1:2525'));
 * const client = createClient(smtp('smtp://127.0.0.1:2525'));
 * await client.post('/notes/hello.txt', 'hi', { headers: { subject: 'Hello' } });
 * ```
 */
export function smtp(url: string, options: SmtpOptions = {}): Transport {
  const parsed = originOnly(parseTransportUrl(url, SCHEMES, 'smtp()'), 'smtp()');
  const lmtp = options.lmtp ?? parsed.protocol === 'lmtp:';
  const effective: SmtpOptions = { ...options, lmtp };
  const scheme = parsed.protocol === 'lmtp:' ? 'smtp:' : parsed.protocol;
  const target = new URL(`${scheme}//${parsed.host}/`);
  target.username = parsed.username;
  target.password = parsed.password;
  return {
    contract: SMTP_CONTRACT,
    url: publicUrl(new URL(`${parsed.protocol}//${parsed.host}/`)),
    connect: (context) => connectSmtp(target, effective, context?.trace),
    listen: (context) => SmtpListener.start(new URL(`${scheme}//${parsed.host}/`), effective, context),
  };
}
