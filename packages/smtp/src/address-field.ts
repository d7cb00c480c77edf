import { addressParser } from 'postal-mime';

/** Header fields whose value is a list of addresses (RFC 5322 sections 3.6.2 and 3.6.3). */
const ADDRESS_FIELDS = new Set(['from', 'sender', 'reply-to', 'to', 'cc']);

/** Characters that make a display name a quoted string (RFC 5322 `specials`). */
const SPECIALS = /[()<>[\]:;@\\,."]/;

/**
 * Writes the value of an address field (`from`, `sender`, `reply-to`, `to`, `cc`) that holds
 * characters beyond printable ASCII: display names become RFC 2047 encoded words (by
 * `encodeWords`) while the addresses stay as they are, since an encoded word may not hold an
 * address (RFC 2047 section 5) and a receiver would find none. `undefined` for any other field,
 * or for a value that is not a list of addresses (an entry without one), which is then written
 * like any other text.
 */
export function formatAddressField(
  name: string,
  value: string,
  encodeWords: (text: string) => string,
): string | undefined {
  if (!ADDRESS_FIELDS.has(name.toLowerCase())) return undefined;
  const entries = addressParser(value);
  if (entries.length === 0) return undefined;
  const written: string[] = [];
  for (const entry of entries) {
    if (entry.group !== undefined) {
      const members = entry.group.map((member) => mailbox(member.name, member.address, encodeWords));
      if (members.includes(undefined)) return undefined;
      written.push(`${phrase(entry.name, encodeWords)}: ${members.join(', ')};`);
    } else {
      const one = mailbox(entry.name, entry.address, encodeWords);
      if (one === undefined) return undefined;
      written.push(one);
    }
  }
  return written.join(',\r\n ');
}

/** `name <address>`, or the bare address without a name; `undefined` without an address. */
function mailbox(
  name: string,
  address: string | undefined,
  encodeWords: (text: string) => string,
): string | undefined {
  if (address === undefined || address === '' || /[\s<>]/.test(address)) return undefined;
  return name === '' ? address : `${phrase(name, encodeWords)} <${address}>`;
}

/** A display name: as it is, quoted when it holds specials, encoded words beyond ASCII. */
function phrase(name: string, encodeWords: (text: string) => string): string {
  if (!/^[\x20-\x7e]*$/.test(name)) return encodeWords(name);
  return SPECIALS.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : name;
}
