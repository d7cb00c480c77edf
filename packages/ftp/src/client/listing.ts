import type { Entry } from '@parley/core';
import type { FileInfo } from 'basic-ftp';

/**
 * Converts an FTP directory listing (as basic-ftp parses MLSD or LIST lines) into Parley
 * listing entries: directories are `directory`, everything else `file`; sizes are kept for
 * files, modification times when the server gave a reliable one (MLSD); `.` and `..` are dropped.
 */
export function toEntries(files: readonly FileInfo[]): Entry[] {
  const entries: Entry[] = [];
  for (const file of files) {
    if (file.name === '' || file.name === '.' || file.name === '..' || file.name.includes('/')) continue;
    entries.push(toEntry(file));
  }
  return entries;
}

function toEntry(file: FileInfo): Entry {
  const type = file.isDirectory ? 'directory' : 'file';
  const size = type === 'file' && Number.isSafeInteger(file.size) && file.size >= 0 ? file.size : undefined;
  const modified = validDate(file.modifiedAt)?.toISOString();
  return {
    name: file.name,
    type,
    ...(size === undefined ? {} : { size }),
    ...(modified === undefined ? {} : { modified }),
  };
}

/** The facts of an MLST reply (RFC 3659): lower-case fact names and their values. */
export type Facts = ReadonlyMap<string, string>;

/**
 * Reads the facts line of an MLST reply (`250-...`, ` type=file;size=12;modify=20240101120000; /a`,
 * `250 End`). Returns an empty map when the reply holds none.
 */
export function parseMlstFacts(message: string): Facts {
  const facts = new Map<string, string>();
  for (const line of message.split(/\r?\n/)) {
    const match = /^\s?((?:[^=;\s]+=[^;]*;)+) /.exec(line);
    if (match?.[1] === undefined) continue;
    for (const fact of match[1].split(';')) {
      const equals = fact.indexOf('=');
      if (equals > 0) facts.set(fact.slice(0, equals).toLowerCase(), fact.slice(equals + 1));
    }
    break;
  }
  return facts;
}

/**
 * Parses an FTP time value (`YYYYMMDDHHMMSS[.sss]`, UTC, as MDTM and MLST `modify` give it).
 * Returns `undefined` when it is not one.
 */
export function parseFtpTime(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3}))?$/.exec(value.trim());
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = match[7] === undefined ? 0 : Number(match[7].padEnd(3, '0'));
  return validDate(new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis)));
}

function validDate(date: Date | undefined): Date | undefined {
  return date !== undefined && Number.isFinite(date.getTime()) ? date : undefined;
}
