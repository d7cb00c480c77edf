import { createReadStream } from 'node:fs';
import { readdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Body, FileLock, ownedTempName, ParleyError, removeLeftovers } from '@parley/core';
import {
  changeError,
  copyNote,
  entryKind,
  isMissing,
  limitBytes,
  linkNew,
  makeDirectory,
  notANote,
  openNote,
  statEntry,
  syncDirectory,
  writeFileFrom,
} from './disk-files.js';
import { checkName } from './names.js';
import {
  checkCondition,
  DEFAULT_MAX_NOTE_BYTES,
  type MoveResult,
  type NoteCondition,
  type NoteInfo,
  type NoteStore,
  type WriteOptions,
  type WriteResult,
} from './store.js';

/** Options of {@link openDiskStore}. */
export interface DiskStoreOptions {
  /** The largest note, in bytes; a bigger upload is refused with `too_large`. Default: 64 MiB. */
  readonly maxNoteBytes?: number;
  /**
   * Whether each change is flushed to disk (fsync of the file before it is renamed into place,
   * and of the directory after each rename, link or unlink) before it is acknowledged, so a
   * power loss cannot undo an acknowledged change. Turn off only for throwaway data. Default: true.
   */
  readonly fsync?: boolean;
  /**
   * How long a change waits for another process changing the same note (several processes may
   * share the directory) before failing with `unavailable`, retryable. Default: 30 s.
   */
  readonly lockTimeoutMs?: number | undefined;
}

const TEMP_PREFIX = '.upload-';

/**
 * Opens (creating it if needed) a directory of notes, one regular file per note. Bodies stream
 * to and from disk; a write goes to a temporary dot-file first, flushed to disk, and is renamed
 * into place only once complete, so a failed or aborted upload leaves nothing behind. Several
 * processes on this host may share the directory: each change of a note (write, append, delete,
 * move) holds the note's lock in this process and across processes (core's `FileLock`), so no
 * acknowledged change is lost. Temporary files (named with their writer's pid) and locks left
 * by a process that died are removed on opening; those of live processes are left alone.
 * Symbolic links in the directory are never followed: they are not notes.
 */
export async function openDiskStore(dir: string, options: DiskStoreOptions = {}): Promise<NoteStore> {
  await makeDirectory(dir);
  // A read-only directory is still served for reading; its leftovers are never listed.
  await removeLeftovers(dir, TEMP_PREFIX);
  return new DiskStore(dir, options);
}

class DiskStore implements NoteStore {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #sync: boolean;
  readonly #lock: FileLock;

  constructor(dir: string, options: DiskStoreOptions) {
    this.#dir = dir;
    this.#maxBytes = options.maxNoteBytes ?? DEFAULT_MAX_NOTE_BYTES;
    this.#sync = options.fsync ?? true;
    this.#lock = new FileLock(dir, { timeoutMs: options.lockTimeoutMs });
  }

  async list(): Promise<NoteInfo[]> {
    const entries = await readdir(this.#dir, { withFileTypes: true });
    const names = entries
      .filter((entry) => entry.isFile() && isNoteName(entry.name))
      .map((entry) => entry.name);
    const infos = await Promise.all(names.map((name) => this.stat(name)));
    return infos.filter((info) => info !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  async stat(name: string): Promise<NoteInfo | undefined> {
    const found = await statEntry(this.#path(name));
    return found?.isFile() ? { name, size: found.size, modified: found.mtime } : undefined;
  }

  async read(name: string): Promise<{ info: NoteInfo; body: Body } | undefined> {
    const handle = await openNote(this.#path(name));
    if (handle === undefined) return undefined;
    const found = await handle.stat().catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    // Reading from the open handle: a note replaced meanwhile is still read whole, as it was.
    const info = { name, size: found.size, modified: found.mtime };
    if (found.size === 0) {
      await handle.close();
      return { info, body: Body.from('') };
    }
    // Only the size its answer announces, even when the note grows meanwhile (appended to in
    // place by hand): more bytes would break the answer's framing.
    const stream = handle.createReadStream({ autoClose: true, end: found.size - 1 });
    return { info, body: Body.from(stream, found.size) };
  }

  /**
   * Receives the body into a temporary file before the note's lock is taken, so a client
   * sending it slowly holds no other change of the note back; then, holding the lock, checks
   * the note as it is (kind, condition, create onto a note), appends to a copy of it when
   * appending, and renames (or, for a create, links) the result into place.
   */
  async write(name: string, body: Body, options: WriteOptions): Promise<WriteResult> {
    const received = join(this.#dir, ownedTempName(TEMP_PREFIX));
    try {
      // Checked once before the body is read, so a refused write does not receive it.
      const before = await this.#check(name, options);
      const already = options.mode === 'append' && before ? ((await this.stat(name))?.size ?? 0) : 0;
      await writeFileFrom(body.stream(), received, {
        append: false,
        sync: this.#sync,
        limit: limitBytes(this.#maxBytes, already),
        signal: options.signal,
      });
      return await this.#lock.run(name, () => this.#commit(name, received, options), options.signal);
    } catch (error) {
      await body.cancel();
      throw changeError(error);
    } finally {
      await rm(received, { force: true });
    }
  }

  /** Whether the note exists, once what it is rules out no write (see {@link write}). */
  async #check(name: string, options: WriteOptions): Promise<boolean> {
    const kind = await entryKind(this.#path(name));
    if (kind === 'other') throw notANote(name);
    const existed = kind === 'note';
    checkCondition(options.condition, existed ? await this.stat(name) : undefined);
    if (existed && options.mode === 'create')
      throw new ParleyError('conflict', `A note named ${name} exists`);
    return existed;
  }

  /** Puts a received body in place, under the note's lock. */
  async #commit(name: string, received: string, options: WriteOptions): Promise<WriteResult> {
    const target = this.#path(name);
    const joined = join(this.#dir, ownedTempName(TEMP_PREFIX));
    try {
      const existed = await this.#check(name, options);
      let source = received;
      if (existed && options.mode === 'append') {
        await copyNote(target, joined, false);
        const already = (await this.stat(name))?.size ?? 0;
        await writeFileFrom(createReadStream(received), joined, {
          append: true,
          sync: this.#sync,
          limit: limitBytes(this.#maxBytes, already),
          signal: options.signal,
        });
        source = joined;
      }
      options.signal?.throwIfAborted();
      if (options.mode === 'create') await linkNew(source, target, name);
      else await rename(source, target);
      await this.#syncDirectory();
      const info = await this.stat(name);
      if (info === undefined) throw new ParleyError('internal', `The note ${name} vanished after writing`);
      return { info, created: !existed };
    } finally {
      await rm(joined, { force: true });
    }
  }

  delete(name: string, condition?: NoteCondition): Promise<boolean> {
    return this.#lock
      .run(name, () => this.#delete(name, condition))
      .catch((error: unknown) => {
        throw changeError(error);
      });
  }

  async #delete(name: string, condition: NoteCondition | undefined): Promise<boolean> {
    const kind = await entryKind(this.#path(name));
    if (kind === 'other') throw notANote(name);
    checkCondition(condition, kind === 'note' ? await this.stat(name) : undefined);
    try {
      await unlink(this.#path(name));
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    await this.#syncDirectory();
    return true;
  }

  async move(
    from: string,
    to: string,
    overwrite = true,
    condition?: NoteCondition,
  ): Promise<MoveResult | undefined> {
    const source = this.#path(from);
    const target = this.#path(to);
    // Both names' locks, taken in one order by every process.
    return this.#lock
      .runAll([from, to], async () => {
        const info = await this.stat(from);
        checkCondition(condition, info);
        if (info === undefined) {
          if ((await entryKind(source)) === 'other') throw notANote(from);
          return undefined;
        }
        if (from === to) return { info, replaced: false };
        const kind = await entryKind(target);
        if (kind === 'other') throw notANote(to);
        if (kind === 'note' && !overwrite)
          throw new ParleyError(
            'precondition_failed',
            `A note named ${to} exists and the MOVE may not replace it`,
          );
        // One rename(2): the note is under one name or the other, never both, never neither.
        await rename(source, target);
        await this.#syncDirectory();
        return { info: { ...info, name: to }, replaced: kind === 'note' };
      })
      .catch((error: unknown) => {
        throw changeError(error);
      });
  }

  async #syncDirectory(): Promise<void> {
    if (this.#sync) await syncDirectory(this.#dir);
  }

  #path(name: string): string {
    return join(this.#dir, checkName(name));
  }
}

/** Whether a file of the folder is a note: its name is one `checkName` takes, as it is (NFC). */
function isNoteName(name: string): boolean {
  try {
    return checkName(name) === name;
  } catch {
    return false;
  }
}
