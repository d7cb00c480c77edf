import type { SMTPServerAddress } from 'smtp-server';
import { smtpError } from './helpers.js';

/**
 * The `MAIL FROM` parameters of the extensions the server advertises in `EHLO`: `SIZE`,
 * `BODY` (8BITMIME) and `SMTPUTF8`; `AUTH` (RFC 4954 section 5) too when AUTH is offered. DSN
 * and REQUIRETLS are not advertised, so their `RET`, `ENVID` and `REQUIRETLS` are not taken.
 */
const MAIL_PARAMETERS = new Set(['SIZE', 'BODY', 'SMTPUTF8']);

/** The `RCPT TO` parameters of the advertised extensions: none (`NOTIFY` and `ORCPT` are DSN's). */
const RCPT_PARAMETERS = new Set<string>();

/**
 * The refusal of a `MAIL FROM` or `RCPT TO` parameter no advertised extension defines
 * (`MAIL FROM:<a@b.example> FOO=BAR`): `555 5.5.4`, naming it, as RFC 5321 section 4.1.1.11
 * asks. `undefined` when every parameter is known.
 *
 * @param command - `MAIL` or `RCPT`
 * @param address - the address `smtp-server` parsed, with its parameters
 * @param authOffered - whether `EHLO` advertises AUTH (then `MAIL FROM` takes `AUTH=`)
 */
export function unknownParameter(
  command: 'MAIL' | 'RCPT',
  address: SMTPServerAddress,
  authOffered: boolean,
): Error | undefined {
  const args = address.args;
  if (args === false || args === undefined) return undefined;
  const known = command === 'MAIL' ? MAIL_PARAMETERS : RCPT_PARAMETERS;
  for (const name of Object.keys(args)) {
    if (known.has(name) || (command === 'MAIL' && authOffered && name === 'AUTH')) continue;
    const shown = name.replace(/[^\x21-\x7e]/g, '?').slice(0, 40);
    return smtpError(
      555,
      `5.5.4 ${command === 'MAIL' ? 'MAIL FROM' : 'RCPT TO'} parameter ${shown} is not recognized`,
    );
  }
  return undefined;
}
