import { constants, createWriteStream, type Stats } from 'node:fs';
import { type FileHandle, link, lstat, mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openRegularFile, ParleyError } from '@parley/core';

/** What a directory entry is, seen without following links: only a regular file is a note. */
export type EntryKind = 'note' | 'missing' | 'other';

/** The entry at `path` itself (a symbolic link is not followed), or `undefined` when there is none. */
/**
 * Creates a directory and any missing parents, one level at a time. Node's own
 * `mkdir(dir, { recursive: true })` never returns where a parent exists but refuses new entries
 * with ENOENT (a path under `/proc`, for one); here that fails at once.
 */
export async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      // A symbolic link to a directory is one too.
      if ((await stat(dir).catch(() => undefined))?.isDirectory()) return;
      throw new Error(`${dir} exists and is not a directory`);
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    await makeDirectory(parent);
    await mkdir(dir).catch((again: unknown) => {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    });
  }
}

export async function statEntry(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** The kind of the entry at `path` (a symbolic link is `other`, whatever it points at). */
export async function entryKind(path: string): Promise<EntryKind> {
  const found = await statEntry(path);
  if (found === undefined) return 'missing';
  return found.isFile() ? 'note' : 'other';
}

/** Refuses to change an entry that is not a note (a link, a directory...) with `forbidden`. */
export function notANote(name: string): ParleyError {
  return new ParleyError('forbidden', `${name} is not a note (a link, a directory or another special file)`);
}

/**
 * Opens a regular file for reading, never through a symbolic link; `undefined` when there is
 * none, or when the entry is a link or not a regular file.
 */
export async function openNote(path: string): Promise<FileHandle | undefined> {
  try {
    return await openRegularFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (isMissing(error) || code === 'ELOOP' || code === 'EISDIR') return undefined;
    throw error;
  }
}

/** Copies the note at `from` into the new file `to`, never reading through a link. */
export async function copyNote(from: string, to: string, sync: boolean): Promise<void> {
  const handle = await openNote(from);
  if (handle === undefined) throw new ParleyError('conflict', 'The note changed while being appended to');
  await pipeline(handle.createReadStream(), createWriteStream(to, { flags: 'wx', flush: sync }));
}

/**
 * Writes a stream into the file `path` (created, or appended to), flushing it to disk before
 * it closes when `sync` is set; `limit` fails the write with `too_large`.
 */
export async function writeFileFrom(
  source: AsyncIterable<Uint8Array>,
  path: string,
  options: { append: boolean; sync: boolean; limit: Transform; signal?: AbortSignal | undefined },
): Promise<void> {
  const file = createWriteStream(path, { flags: options.append ? 'a' : 'wx', flush: options.sync });
  await pipeline(source, options.limit, file, ...(options.signal ? [{ signal: options.signal }] : []));
}

/**
 * Makes a directory's entries durable (renames, links, unlinks in it), so a crash after a
 * reply cannot bring back a deleted note or lose a written one.
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NONBLOCK);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Moves a finished upload into place only if no entry of that name appeared meanwhile. */
export async function linkNew(temp: string, target: string, name: string): Promise<void> {
  try {
    await link(temp, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ParleyError('conflict', `A note named ${name} exists`);
    }
    throw error;
  }
}

/** Passes bytes through, failing with `too_large` once `already` plus the bytes seen exceed `max`. */
export function limitBytes(max: number, already: number): Transform {
  let total = already;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      total += chunk.byteLength;
      if (total > max) callback(new ParleyError('too_large', `A note may be at most ${max} bytes`));
      else callback(null, chunk);
    },
  });
}

/** The error codes of a directory that cannot be written: read-only, or not ours. */
const NOT_WRITABLE: ReadonlySet<string> = new Set(['EROFS', 'EACCES', 'EPERM']);

/**
 * The error a client gets for a failed change: a full disk (or quota) is `insufficient_storage`,
 * which each protocol carries as its own "no room" reply (HTTP 507, FTP 452, SMTP 452 4.3.1); a directory that
 * cannot be written (read-only, or not the service's) is `forbidden`; others pass as they are.
 */
export function changeError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new ParleyError('insufficient_storage', 'The disk is full: the note was not stored', {
      cause: error,
    });
  if (code !== undefined && NOT_WRITABLE.has(code))
    return new ParleyError('forbidden', `The notes cannot be changed (${code})`, { cause: error });
  return error;
}

/** Whether a file system error says the entry does not exist. */
export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
