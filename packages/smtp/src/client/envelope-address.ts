import { ParleyError } from '@parley/core';

/** A local part that needs no quotes: a dot-atom (RFC 5321 section 4.1.2). */
const DOT_ATOM =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+)*$/;

/** Whether a text holds a character no envelope address of Parley's carries, quoted or not. */
function unsendable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f || code === 0x3c || code === 0x3e || code === 0x22 || code === 0x5c)
      return true;
  }
  return /\s/.test(text);
}

/**
 * An address of a `from`, `cc` or `bcc` field (as the address parser gives it, quotes around its
 * local part kept or dropped) as it goes into MAIL FROM or RCPT TO: a local part that is not a
 * dot-atom (`john smith`) is quoted again (`"john smith"@example.com`), for the SMTP library
 * reads an unquoted one as another address (`smith@example.com`). An entry naming no address,
 * or one whose local part holds `<`, `>`, `"`, `\` or control characters, is a `bad_request`:
 * it could not reach the mailbox meant.
 */
export function envelopeAddress(address: string, field: string, written: string): string {
  const at = address.lastIndexOf('@');
  const quoted = at > 1 && address.startsWith('"') && address.charAt(at - 1) === '"';
  const local = quoted ? address.slice(1, at - 1) : address.slice(0, Math.max(at, 0));
  const domain = address.slice(at + 1);
  if (
    at <= 0 ||
    local === '' ||
    domain === '' ||
    unsendable(domain) ||
    unsendable(local.replaceAll(' ', ''))
  ) {
    throw new ParleyError(
      'bad_request',
      `The ${field} field names no address a message can be sent to: ${written}`,
    );
  }
  return DOT_ATOM.test(local) ? `${local}@${domain}` : `"${local}"@${domain}`;
}
