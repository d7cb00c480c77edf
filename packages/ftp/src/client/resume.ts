import { contentRange, parseByteRange, type Response, respond } from '@parley/core';
import type { Client as BasicClient } from 'basic-ftp';

/** Where a resumed RETR starts, and the size of the whole file. */
export interface ResumePoint {
  readonly offset: number;
  readonly size: number;
}

/**
 * A GET's `range: bytes=n-` as FTP's `REST n`: the file's size is asked first (`SIZE`) so the
 * answer can say which part it is (`content-range: bytes n-last/size`) and an offset at or past
 * the end is answered as HTTP answers it (a `bad_request` with `content-range: bytes *\/size`)
 * without opening a transfer. Other forms (`bytes=a-b`, `bytes=-n`), and servers that give no
 * size, get the whole file: FTP cannot stop a transfer at a byte, and a server may ignore a range.
 *
 * @returns The resume point, a response for a range past the end, or `undefined` for the whole file.
 */
export async function resumePoint(
  client: BasicClient,
  path: string,
  field: string | undefined,
): Promise<ResumePoint | Response | undefined> {
  if (field === undefined || !/^\s*bytes\s*=\s*\d+\s*-\s*$/i.test(field)) return undefined;
  const reply = await client.sendIgnoringError(`SIZE ${path}`);
  const size = reply.code === 213 ? Number(reply.message.slice(4).trim()) : Number.NaN;
  if (!Number.isSafeInteger(size) || size < 0) return undefined;
  const range = parseByteRange(field, size);
  if (range === undefined) return undefined;
  if (range === 'unsatisfiable')
    return respond('bad_request', `Range not satisfiable: ${path} has ${size} bytes`, {
      'content-range': contentRange(size),
    });
  return range.start === 0 ? undefined : { offset: range.start, size };
}

/** The header fields of the part a resumed RETR sends. */
export function partFields(point: ResumePoint): Record<string, string> {
  return {
    'content-range': contentRange(point.size, { start: point.offset, end: point.size - 1 }),
    'content-length': String(point.size - point.offset),
  };
}
