import { normalizePath, ParleyError } from '@parley/core';

/** Characters kept as they are in a path segment; the rest are written `=XX` (UTF-8 bytes, hex). */
const PLAIN = /^[A-Za-z0-9._-]$/;

/**
 * The longest envelope address (local part, `@`, domain), in bytes: RFC 5321 bounds the path
 * with its `<>` to 256 bytes, and Parley's server (smtp-server) takes at most 253.
 */
const MAX_ADDRESS_BYTES = 253;

/**
 * The mailbox address of a path: segments joined with `+` in the local part, so `/notes` is
 * `notes@domain` and `/notes/hello.txt` is `notes+hello.txt@domain`. In a segment, letters,
 * digits, `-`, `_` and `.` stay as they are (a `.` at either end of a segment or after another
 * `.` is encoded, as the address syntax wants); every other character is written as `=XX`
 * per UTF-8 byte (`+` is `=2B`, `=` is `=3D`, a space `=20`). A trailing `/` becomes a trailing
 * `+`. The root path has no address, and an address over 253 bytes (RFC 5321) is refused with
 * `bad_request`.
 *
 * @param path - the path
 * @param domain - the domain of the address
 * @returns The address.
 *
 * @example
 * ```ts
 * pathToAddress('/notes/hello world.txt', 'example.org'); // "notes+hello=20world.txt@example.org"
 * ```
 */
export function pathToAddress(path: string, domain = 'localhost'): string {
  const normal = normalizePath(path);
  if (normal === '/') throw new ParleyError('bad_request', 'The root path has no mailbox address');
  const segments = normal.slice(1).split('/');
  const address = `${segments.map(encodeSegment).join('+')}@${domain}`;
  const bytes = Buffer.byteLength(address);
  if (bytes > MAX_ADDRESS_BYTES) {
    const shown = normal.length > 60 ? `${normal.slice(0, 60)}...` : normal;
    throw new ParleyError(
      'bad_request',
      `The path ${shown} makes a mailbox address of ${bytes} bytes; SMTP carries at most ${MAX_ADDRESS_BYTES} bytes (RFC 5321)`,
    );
  }
  return address;
}

/**
 * The path of a mailbox address, the inverse of {@link pathToAddress}: `notes+hello.txt@host`
 * is `/notes/hello.txt` (the domain is ignored). A quoted local part is unquoted first.
 * Malformed `=XX` escapes are a `bad_request` ParleyError.
 *
 * @param address - the mailbox address, such as an envelope recipient
 * @returns The path.
 *
 * @example
 * ```ts
 * addressToPath('notes+hello.txt@localhost'); // "/notes/hello.txt"
 * ```
 */
export function addressToPath(address: string): string {
  const at = address.lastIndexOf('@');
  let local = at === -1 ? address : address.slice(0, at);
  if (local.length >= 2 && local.startsWith('"') && local.endsWith('"')) {
    local = local.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  if (local === '') throw new ParleyError('bad_request', `The address ${address} has no local part`);
  const segments = local.split('+').map((segment) => decodeSegment(segment, address));
  return normalizePath(`/${segments.join('/')}`);
}

function encodeSegment(segment: string): string {
  let out = '';
  const chars = [...segment];
  chars.forEach((char, index) => {
    const edgeDot = char === '.' && (index === 0 || index === chars.length - 1 || chars[index - 1] === '.');
    if (PLAIN.test(char) && !edgeDot) out += char;
    else
      for (const byte of Buffer.from(char, 'utf8'))
        out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  });
  return out;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Escaped bytes as text; bytes that are not UTF-8 are refused rather than replaced. */
function utf8(bytes: Buffer, address: string): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw new ParleyError('bad_request', `The address ${address} escapes bytes that are not UTF-8`);
  }
}

/**
 * A segment with its `=XX` escapes decoded (they must be UTF-8; so must the rest). A `/` or NUL is refused whether escaped or written
 * as it is (`"a/b"@host`, `a/b@host`: `/` is allowed in a local part), so `+` alone separates
 * segments and each path has one address.
 */
function decodeSegment(segment: string, address: string): string {
  if (/=(?![0-9A-Fa-f]{2})/.test(segment)) {
    throw new ParleyError('bad_request', `The address ${address} has a malformed =XX escape`);
  }
  // A U+FFFD written as it is stands for bytes that were not UTF-8, decoded lossily before
  // reaching here: two different addresses would share its path. Escaped, it is kept.
  if (segment.includes('\uFFFD')) {
    throw new ParleyError('bad_request', `The address ${address} holds bytes that are not UTF-8`);
  }
  const text = segment.includes('=')
    ? segment.replace(/(?:=[0-9A-Fa-f]{2})+/g, (run) =>
        utf8(Buffer.from(run.replaceAll('=', ''), 'hex'), address),
      )
    : segment;
  if (text.includes('/') || text.includes('\0')) {
    throw new ParleyError(
      'bad_request',
      `The address ${address} encodes a character a path segment cannot hold`,
    );
  }
  return text;
}
