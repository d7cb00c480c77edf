import { type Entry, normalizePath } from '@parley/core';

/** The facts `MLSD`/`MLST` can show (RFC 3659); `OPTS MLST` picks among them. */
export const MLST_FACTS = ['type', 'size', 'modify'] as const;

/** One of the {@link MLST_FACTS}. */
export type MlstFact = (typeof MLST_FACTS)[number];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS_MS = 182 * 24 * 3600 * 1000;

/**
 * Whether an entry name is safe to show: one path segment (no slash, not `.` or `..`) that a
 * command could name again, so none of the characters core refuses in paths (a control,
 * bidirectional or invisible character, such as a line break, an escape sequence or a
 * right-to-left override, or half of a surrogate pair).
 */
export function isSafeName(name: string): boolean {
  if (name === '' || name === '.' || name === '..' || name.includes('/')) return false;
  try {
    normalizePath(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * What a reply adds when a listing left out entries: those whose names are not
 * {@link isSafeName}, and the `handlerLeftOut` the handler's response said it left out itself
 * (see core's `leftOutOf`): how many, and why (an empty string when none were).
 */
export function leftOutNote(entries: readonly Entry[], handlerLeftOut = 0): string {
  let left = handlerLeftOut;
  for (const entry of entries) if (!isSafeName(entry.name)) left++;
  if (left === 0) return '';
  const what = left === 1 ? '1 entry' : `${left} entries`;
  return ` (${what} left out: names with control, bidirectional or invisible characters)`;
}

/** A time as `YYYYMMDDHHMMSS` in UTC (RFC 3659), or `undefined` when not a valid time. */
export function ftpTime(value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(typeof value === 'number' ? value : Date.parse(value));
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The fact line of one entry: `type=file;size=3;modify=20240101120000; name`. */
export function factLine(entry: Entry, facts: readonly MlstFact[], name: string = entry.name): string {
  let text = '';
  for (const fact of facts) {
    if (fact === 'type') text += `type=${entry.type === 'directory' ? 'dir' : 'file'};`;
    else if (fact === 'size' && entry.size !== undefined) text += `size=${entry.size};`;
    else if (fact === 'modify') {
      const time = ftpTime(entry.modified);
      if (time !== undefined) text += `modify=${time};`;
    }
  }
  return `${text} ${name}`;
}

/** One `ls -l` style line, as most clients parse `LIST` output. */
export function unixLine(entry: Entry, now: number): string {
  const directory = entry.type === 'directory';
  const mode = directory ? 'drwxr-xr-x' : '-rw-r--r--';
  const size = String(entry.size ?? 0).padStart(12);
  const time = entry.modified === undefined ? Number.NaN : Date.parse(entry.modified);
  const date = new Date(Number.isNaN(time) ? 0 : time);
  const month = MONTHS[date.getUTCMonth()] as string;
  const day = String(date.getUTCDate()).padStart(2);
  const recent = Math.abs(now - date.getTime()) < SIX_MONTHS_MS;
  const clock = recent
    ? `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`
    : ` ${date.getUTCFullYear()}`;
  return `${mode} 1 owner group ${size} ${month} ${day} ${clock} ${entry.name}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * Renders entries in the format of `MLSD`, `LIST` or `NLST`, one CRLF-ended line each; `prefix`
 * goes before each `LIST` or `NLST` name (the folder part of `NLST sub/*.txt`).
 */
export function renderListing(
  entries: readonly Entry[],
  format: 'MLSD' | 'LIST' | 'NLST',
  facts: readonly MlstFact[],
  prefix = '',
): string {
  const now = Date.now();
  let text = '';
  for (const entry of entries) {
    if (!isSafeName(entry.name)) continue;
    if (format === 'MLSD') text += `${factLine(entry, facts)}\r\n`;
    else if (format === 'LIST') text += `${unixLine({ ...entry, name: prefix + entry.name }, now)}\r\n`;
    else text += `${prefix}${entry.name}\r\n`;
  }
  return text;
}
