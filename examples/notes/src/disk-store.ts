import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Body, ParleyError } from '@parley/core';
import { checkName } from './names.js';
import {
  DEFAULT_MAX_NOTE_BYTES,
  type NoteInfo,
  type NoteStore,
  type WriteOptions,
  type WriteResult,
} from './store.js';
import { WriteLock } from './write-lock.js';

/** Options of {@link openDiskStore}. */
export interface DiskStoreOptions {
  /** The largest note, in bytes; a bigger upload is refused with `too_large`. Default: 64 MiB. */
  readonly maxNoteBytes?: number;
}

const TEMP_PREFIX = '.upload-';

/**
 * Opens (creating it if needed) a directory of notes, one file per note. Bodies stream to and
 * from disk; a write goes to a temporary dot-file first and is renamed into place only once
 * complete, so a failed or aborted upload leaves nothing behind. Temporary files left by a
 * crash are removed on opening.
 */
export async function openDiskStore(dir: string, options: DiskStoreOptions = {}): Promise<NoteStore> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) {
    if (name.startsWith(TEMP_PREFIX)) await rm(join(dir, name), { force: true });
  }
  return new DiskStore(dir, options.maxNoteBytes ?? DEFAULT_MAX_NOTE_BYTES);
}

class DiskStore implements NoteStore {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #lock = new WriteLock();

  constructor(dir: string, maxBytes: number) {
    this.#dir = dir;
    this.#maxBytes = maxBytes;
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
    try {
      const found = await stat(this.#path(name));
      return found.isFile() ? { name, size: found.size, modified: found.mtime } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async read(name: string): Promise<{ info: NoteInfo; body: Body } | undefined> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.#path(name), 'r');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const found = await handle.stat().catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    if (!found.isFile()) {
      await handle.close();
      return undefined;
    }
    // Reading from the open handle: a note replaced meanwhile is still read whole, as it was.
    const stream = handle.createReadStream({ autoClose: true });
    return { info: { name, size: found.size, modified: found.mtime }, body: Body.from(stream, found.size) };
  }

  write(name: string, body: Body, options: WriteOptions): Promise<WriteResult> {
    return this.#lock.run(name, () => this.#write(name, body, options));
  }

  async #write(name: string, body: Body, options: WriteOptions): Promise<WriteResult> {
    const target = this.#path(name);
    const temp = join(this.#dir, `${TEMP_PREFIX}${randomUUID()}`);
    try {
      const existed = (await this.stat(name)) !== undefined;
      if (existed && options.mode === 'create')
        throw new ParleyError('conflict', `A note named ${name} exists`);
      const appending = existed && options.mode === 'append';
      if (appending) await copyFile(target, temp);
      const already = appending ? ((await this.stat(name))?.size ?? 0) : 0;
      await pipeline(
        body.stream(),
        limitBytes(this.#maxBytes, already),
        createWriteStream(temp, { flags: appending ? 'a' : 'w' }),
        ...(options.signal ? [{ signal: options.signal }] : []),
      );
      if (options.mode === 'create') await linkNew(temp, target, name);
      else await rename(temp, target);
      const info = await this.stat(name);
      if (info === undefined) throw new ParleyError('internal', `The note ${name} vanished after writing`);
      return { info, created: !existed };
    } catch (error) {
      await body.cancel();
      throw error;
    } finally {
      await rm(temp, { force: true });
    }
  }

  async delete(name: string): Promise<boolean> {
    return this.#lock.run(name, async () => {
      try {
        await unlink(this.#path(name));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    });
  }

  #path(name: string): string {
    return join(this.#dir, checkName(name));
  }
}

/** Moves a finished upload into place only if no note of that name appeared meanwhile. */
async function linkNew(temp: string, target: string, name: string): Promise<void> {
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
function limitBytes(max: number, already: number): Transform {
  let total = already;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      total += chunk.byteLength;
      if (total > max) callback(new ParleyError('too_large', `A note may be at most ${max} bytes`));
      else callback(null, chunk);
    },
  });
}

function isNoteName(name: string): boolean {
  try {
    checkName(name);
    return true;
  } catch {
    return false;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
