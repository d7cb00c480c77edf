import { type HeaderMap, ParleyError } from '@parley/core';
import { decodeWords } from 'postal-mime';
import { formatAddressField } from './address-field.js';
import { foldedLine, MAX_LINE_BYTES } from './header-folding.js';

const FOLDS = /\r?\n(?=[ \t])/g;
const CR = 0x0d;

/**
 * The fields of a message's header block (without the blank line that ends it) as a flat
 * `[name, value, name, value, ...]` list in their order, for {@link HeaderMap.fromFlat}: folded
 * lines are unfolded, names and values trimmed, RFC 2047 encoded words decoded; lines without a
 * colon or with an invalid name are left out. Names keep their case (the map lower-cases them on
 * first use) and repeated fields stay repeated (the map joins them with `, `).
 */
export function headerFieldList(block: string): string[] {
  return readFields(block);
}

/**
 * The value of the field `name` (in lower case) in a header block, the same as
 * `fieldValue(headerFieldList(block), name)`, without splitting out the other fields.
 */
export function headerFieldValue(block: string, name: string): string | undefined {
  return headerFieldValues(block, [name])[0];
}

/**
 * The values of the fields `names` (in lower case) in a header block, in one pass: each the
 * same as `fieldValue(headerFieldList(block), name)`, without splitting out the other fields.
 */
export function headerFieldValues(block: string, names: readonly string[]): (string | undefined)[] {
  const values: (string | undefined)[] = [];
  for (let i = 0; i < names.length; i++) values.push(undefined);
  eachField(block, (start, colon, lineEnd, folded) => {
    for (let i = 0; i < names.length; i++) {
      if (!isNamed(block, start, colon, names[i] as string)) continue;
      const value = fieldValueAt(block, colon, lineEnd, folded);
      const found = values[i];
      values[i] = found === undefined ? value : `${found}, ${value}`;
      return;
    }
  });
  return values;
}

/**
 * Calls `visit` for each line of a header block that has a colon after its first character,
 * with where the line starts, its colon, where it ends (before a CR) and whether it was folded.
 */
function eachField(
  block: string,
  visit: (start: number, colon: number, lineEnd: number, folded: boolean) => void,
): void {
  const length = block.length;
  let start = 0;
  // The first colon at or after `start`, searched again only once a line has passed it, so a
  // block of lines without colons is read once, not once per line.
  let colon = block.indexOf(':');
  while (colon !== -1) {
    if (colon < start) {
      colon = block.indexOf(':', start);
      if (colon === -1) break;
    }
    // A field runs to the first line break that is not followed by a space or a tab.
    let end = block.indexOf('\n', start);
    let folded = false;
    while (end !== -1 && isFold(block.charCodeAt(end + 1))) {
      folded = true;
      end = block.indexOf('\n', end + 1);
    }
    if (end === -1) end = length;
    const lineEnd = end > start && block.charCodeAt(end - 1) === CR ? end - 1 : end;
    if (colon > start && colon < lineEnd) visit(start, colon, lineEnd, folded);
    start = end + 1;
  }
}

/** The fields of a header block as {@link headerFieldList} lists them. */
function readFields(block: string): string[] {
  const fields: string[] = [];
  eachField(block, (start, colon, lineEnd, folded) => {
    const name = trimmed(block, start, colon);
    if (isFieldName(name)) fields.push(name, fieldValueAt(block, colon, lineEnd, folded));
  });
  return fields;
}

/** The value of the field whose colon is at `colon`: unfolded, trimmed, encoded words decoded. */
function fieldValueAt(block: string, colon: number, lineEnd: number, folded: boolean): string {
  const value = folded
    ? block
        .slice(colon + 1, lineEnd)
        .replace(FOLDS, '')
        .trim()
    : trimmed(block, colon + 1, lineEnd);
  return value.includes('=?') ? decodeWords(value) : value;
}

/**
 * Whether the name between `from` and `to` is `lower` (a lower-case field name) once trimmed,
 * as {@link headerFieldList} would list it, compared in place rather than sliced out.
 */
function isNamed(block: string, from: number, to: number, lower: string): boolean {
  let start = from;
  let end = to;
  while (start < end && isAsciiSpace(block.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(block.charCodeAt(end - 1))) end--;
  if (start < end && (block.charCodeAt(start) > 0x7f || block.charCodeAt(end - 1) > 0x7f)) {
    // Other white space at either end: trimmed as headerFieldList trims it.
    const name = trimmed(block, from, to);
    return isFieldName(name) && sameName(name, lower);
  }
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const code = block.charCodeAt(start + i);
    // A to Z are compared as a to z; any other character as it is (see sameName).
    if ((code >= 0x41 && code <= 0x5a ? code + 0x20 : code) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * The value of a field in a list from {@link headerFieldList} (`name` in lower case), its
 * occurrences joined with `, ` as a {@link HeaderMap} joins them; `undefined` when absent.
 */
export function fieldValue(fields: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (!sameName(fields[i] as string, name)) continue;
    const value = fields[i + 1] as string;
    found = found === undefined ? value : `${found}, ${value}`;
  }
  return found;
}

/** A list from {@link headerFieldList} without the field `name` (in lower case). */
export function withoutField(fields: readonly string[], name: string): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (!sameName(fields[i] as string, name)) kept.push(fields[i] as string, fields[i + 1] as string);
  }
  return kept;
}

/** Whether a character code starts a folded line's continuation: a space or a tab. */
function isFold(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** Whether a character code is one `String.prototype.trim` removes, as far as ASCII goes. */
function isAsciiSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/**
 * `text.slice(from, to).trim()`, without the intermediate string when the ends are ASCII
 * (other characters at either end go to `trim`, which knows every kind of white space).
 */
function trimmed(text: string, from: number, to: number): string {
  let start = from;
  let end = to;
  while (start < end && isAsciiSpace(text.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(text.charCodeAt(end - 1))) end--;
  const value = text.slice(start, end);
  return start < end && (text.charCodeAt(start) > 0x7f || text.charCodeAt(end - 1) > 0x7f)
    ? value.trim()
    : value;
}

/**
 * Whether `field` is `lower` (a lower-case ASCII name) without regard to case, compared a
 * character at a time rather than through a lower-cased copy.
 */
function sameName(field: string, lower: string): boolean {
  if (field.length !== lower.length) return false;
  if (field === lower) return true;
  for (let i = 0; i < field.length; i++) {
    const code = field.charCodeAt(i);
    // A to Z are compared as a to z; any other character as it is.
    if ((code >= 0x41 && code <= 0x5a ? code + 0x20 : code) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether a text is a field name: printable ASCII other than `:`, at least one character. */
function isFieldName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x21 || code > 0x7e || code === 0x3a) return false;
  }
  return true;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Writes one header field for a message: the name checked, line breaks in the value refused,
 * a value that is not plain printable ASCII written as RFC 2047 encoded words (in an address
 * field, its display names only: the addresses stay readable), and long lines folded at their
 * spaces. A word longer than a line (998 bytes) is written as encoded words in free text
 * (`subject`, `comments`, `x-` fields) and refused with `bad_request` in any other field,
 * whose meaning encoded words would change.
 */
export function formatHeader(name: string, value: string): string {
  if (!TOKEN.test(name)) throw new ParleyError('bad_request', `Invalid header name: ${JSON.stringify(name)}`);
  if (value.includes('\r') || value.includes('\n') || value.includes('\0')) {
    throw new ParleyError('bad_request', `The header ${name} holds a line break, which a mail header cannot`);
  }
  const field = canonicalName(name);
  const written = /^[\x20-\x7e]*$/.test(value)
    ? value
    : (formatAddressField(name, value, encodeWords) ?? encodeWords(value));
  const folded = foldedField(`${field}: ${written}`);
  if (folded !== undefined) return folded;
  const encoded = FREE_TEXT.test(name) ? foldedField(`${field}: ${encodeWords(value)}`) : undefined;
  if (encoded !== undefined) return encoded;
  throw new ParleyError(
    'bad_request',
    `The header ${name} holds a word longer than a mail line (${MAX_LINE_BYTES} bytes) can carry`,
  );
}

/** Fields of free text, where encoded words may stand for any word (RFC 2047 section 5). */
const FREE_TEXT = /^(subject|comments|x-.*)$/i;

/** A field's lines, each folded, with the final CRLF; `undefined` if one cannot be short enough. */
function foldedField(text: string): string | undefined {
  const lines: string[] = [];
  for (const line of text.split('\r\n')) {
    const folded = foldedLine(line);
    if (folded === undefined) return undefined;
    lines.push(folded);
  }
  return `${lines.join('\r\n')}\r\n`;
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
