import { hasSpoofingCharacters, ParleyError } from '@parley/core';

/** The longest note name, in UTF-8 bytes. */
export const MAX_NAME_BYTES = 128;

/**
 * Checks a note name and returns it in Unicode NFC form: one path segment (no `/` or `\`), not
 * a dot-file, no surrounding spaces, at most {@link MAX_NAME_BYTES} bytes, and none of the
 * control, bidirectional or invisible characters that core's `hasSpoofingCharacters` names (a
 * name that reads `txt.exe` backwards, or hides a character, could pass for another). `café`
 * typed as `e` + a combining accent (NFD, as macOS names files) is the same note as `café`
 * with a precomposed `é`, not a second one that looks the same. Throws a `bad_request`
 * ParleyError.
 */
export function checkName(name: string | undefined): string {
  const value = (name ?? '').normalize('NFC');
  if (value === '') throw badName('A note name may not be empty');
  if (value.includes('/') || value.includes('\\')) throw badName('A note name may not contain a slash');
  if (value.startsWith('.')) throw badName('A note name may not start with a dot');
  if (value !== value.trim()) throw badName('A note name may not start or end with a space');
  if (hasSpoofingCharacters(value)) {
    throw badName('A note name may not contain control characters, or bidirectional or invisible ones');
  }
  if (Buffer.byteLength(value) > MAX_NAME_BYTES) {
    throw badName(`A note name may be at most ${MAX_NAME_BYTES} bytes long`);
  }
  return value;
}

/** A fresh name for a note created without one: `note-<time>-<random>.txt`. */
export function generateName(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `note-${stamp}-${Math.random().toString(36).slice(2, 8)}.txt`;
}

/** The content type served for a note, from its extension. */
export function contentType(name: string): string {
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return TYPES[extension] ?? 'application/octet-stream';
}

const TYPES: Readonly<Record<string, string>> = {
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json',
  // Notes are never served as HTML: a note could otherwise run script on the live page's origin.
  html: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

function badName(message: string): ParleyError {
  return new ParleyError('bad_request', message);
}
