import { HeaderMap, ParleyError } from '@parley/core';
import { decodeWords } from 'postal-mime';

const FOLDED = /\n[ \t]/;
const FOLDS = /\r?\n(?=[ \t])/g;
const LINE_BREAK = /\r?\n/;
const FIELD_NAME = /^[!-9;-~]+$/;

/**
 * Parses a message's header block (without the blank line that ends it) into a HeaderMap:
 * folded lines are unfolded, names lower-cased, RFC 2047 encoded words decoded, and fields
 * that occur more than once joined with `, `.
 */
export function parseHeaderBlock(block: string): HeaderMap {
  const headers = new HeaderMap();
  const unfolded = FOLDED.test(block) ? block.replace(FOLDS, '') : block;
  for (const line of unfolded.split(LINE_BREAK)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (!FIELD_NAME.test(name)) continue;
    const value = line.slice(colon + 1).trim();
    headers.append(name, value.includes('=?') ? decodeWords(value) : value);
  }
  return headers;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Writes one header field for a message: the name checked, line breaks in the value refused,
 * and a value that is not plain printable ASCII written as RFC 2047 encoded words.
 */
export function formatHeader(name: string, value: string): string {
  if (!TOKEN.test(name)) throw new ParleyError('bad_request', `Invalid header name: ${JSON.stringify(name)}`);
  if (value.includes('\r') || value.includes('\n') || value.includes('\0')) {
    throw new ParleyError('bad_request', `The header ${name} holds a line break, which a mail header cannot`);
  }
  return `${canonicalName(name)}: ${/^[\x20-\x7e]*$/.test(value) ? value : encodeWords(value)}\r\n`;
}

/** `content-type` as `Content-Type`, `message-id` as `Message-ID`. */
function canonicalName(name: string): string {
  if (name.toLowerCase() === 'message-id') return 'Message-ID';
  if (name.toLowerCase() === 'mime-version') return 'MIME-Version';
  return name
    .toLowerCase()
    .replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** RFC 2047 `B` encoded words of at most 45 bytes of UTF-8 each, never splitting a character. */
function encodeWords(value: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const char of value) {
    if (Buffer.byteLength(chunk + char) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk !== '') words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word).toString('base64')}?=`).join('\r\n ');
}
