import { once } from 'node:events';
import { constants, createReadStream, type Stats, type WriteStream } from 'node:fs';
import {
  type FileHandle,
  lstat,
  mkdir,
  open,
  readlink,
  realpath,
  rename,
  rmdir,
  unlink,
} from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  FileLock,
  LOCK_PREFIX,
  normalizePath,
  openRegularFile,
  ownedTempName,
  ParleyError,
  pathSegments,
  removeLeftovers,
} from '@parley/core';

/**
 * Temporary files of uploads in progress start with this, then their writer's pid; they are
 * never listed nor served.
 */
export const TEMP_PREFIX = '.parley-upload-';

/** Whether a name is one of Parley's own files (an upload in progress, a lock): never listed nor served. */
export function isHiddenName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX) || name.startsWith(LOCK_PREFIX);
}

/**
 * A request's conditions on the entry it changes (its `If-Match`...), checked against the entry
 * as it is once the change holds the entry's turn (`undefined`: there is none): the reason the
 * change must not go ahead, else `undefined`.
 */
export type Precondition = (current: Stats | undefined) => string | undefined;

/**
 * Removes, in `root` and every folder below it, the temporary files of uploads whose process
 * died (killed mid-upload) and stale locks; those of live processes sharing the folder are kept.
 */
export function removeDeadUploads(root: string): Promise<void> {
  return removeLeftovers(root, TEMP_PREFIX, { recursive: true });
}

/**
 * A folder on disk seen through request paths, safely: paths are normalised (they never climb
 * above the folder), no symbolic link is ever followed (each segment is checked with `lstat`,
 * files are opened with `O_NOFOLLOW`), and writes go to a temporary file that is synced and
 * renamed into place, so a file is replaced whole or not at all; the folder is synced after each
 * change in it, before the reply. Writes, moves and removals of one file run one at a time, in
 * this process and across the processes of this host serving the same folder (core's
 * `FileLock`, its lock files in the folder itself), so every acknowledged append is kept.
 */
export class SafeFolder {
  readonly #lock: FileLock;
  /** The folder's real path, once asked for (the folder itself may be named through a link). */
  #realRoot: Promise<string> | undefined;

  constructor(
    /** The folder's absolute path. */
    readonly root: string,
  ) {
    this.#lock = new FileLock(root);
  }

  /** The disk path of a request path and its `lstat` (undefined when absent); refuses symlinks. */
  async resolve(path: string): Promise<{ file: string; stat: Stats | undefined }> {
    const segments = pathSegments(normalizePath(path));
    let file = this.root;
    let stat: Stats | undefined = await lstat(file);
    for (const segment of segments) {
      if (isHiddenName(segment)) throw new ParleyError('not_found', 'No such file');
      if (stat === undefined || !stat.isDirectory()) throw new ParleyError('not_found', 'No such file');
      file = join(file, segment);
      stat = await lstatOrUndefined(file);
      if (stat?.isSymbolicLink()) throw new ParleyError('forbidden', 'Symbolic links are not followed');
    }
    return { file, stat };
  }

  /**
   * Opens a file for reading without following a symlink. Its `stat` is the opened file's own,
   * so the length and validators sent with it describe the bytes read, even when an upload
   * renames another version over its name meanwhile. Anything but a regular file (swapped in
   * since it was looked at) is `not_found`.
   */
  async open(file: string): Promise<OpenedFile> {
    const handle = await openRegular(file, 'not_found');
    try {
      await this.#confine(handle);
      return { stat: await handle.stat(), read: (first, last) => readPart(handle, first, last) };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Writes `source` to `file` atomically: a temporary file beside it (created exclusively, no
   * symlink followed), flushed to disk, then renamed over it. With `append`, the file's content
   * at that moment (if it exists) comes first. Resolves with whether the file existed; anything
   * there but a regular file (a FIFO, a socket...) is a `conflict`; a failed `precondition` is
   * `precondition_failed` (nothing is written). `source` is received before the file's lock is
   * taken, so a client sending it slowly holds no other change of the file back; the file is
   * checked again once the lock is held. `signal` stops the wait for another process's lock.
   */
  async write(
    file: string,
    source: AsyncIterable<Uint8Array>,
    append = false,
    signal?: AbortSignal | undefined,
    precondition?: Precondition | undefined,
  ): Promise<boolean> {
    // Checked once before the body is read, so a refused write does not receive it.
    checkWritable(await lstatOrUndefined(file), precondition);
    const received = await this.#receive(file, source);
    try {
      return await this.#lock.run(
        this.#key(file),
        () => this.#commit(file, received, append, precondition),
        signal,
      );
    } finally {
      await unlink(received).catch(() => {});
    }
  }

  /** Receives `source` into a new temporary file beside `file`, flushed to disk; resolves with its path. */
  async #receive(file: string, source: AsyncIterable<Uint8Array>): Promise<string> {
    const { temp, out } = await this.#temporary(file);
    try {
      await pipeline(source, out);
      if (!out.closed) await once(out, 'close');
      return temp;
    } catch (error) {
      out.destroy();
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  /** A new temporary file beside `file`, checked to lie in the folder, and a stream writing it. */
  async #temporary(file: string): Promise<{ temp: string; out: WriteStream }> {
    const temp = join(file, '..', ownedTempName(TEMP_PREFIX));
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    const handle = await open(temp, flags, 0o644);
    try {
      await this.#confine(handle);
    } catch (error) {
      await handle.close();
      await unlink(temp).catch(() => {});
      throw error;
    }
    // `flush`: the data reaches the disk before the file is closed, and so before the rename.
    return { temp, out: handle.createWriteStream({ flush: true, highWaterMark: 256 * 1024 }) };
  }

  /** Puts a received body in place of `file` (after its content, with `append`), holding its lock. */
  async #commit(
    file: string,
    received: string,
    append: boolean,
    precondition: Precondition | undefined,
  ): Promise<boolean> {
    const found = await lstatOrUndefined(file);
    checkWritable(found, precondition);
    const existed = found !== undefined;
    if (!(append && existed)) {
      await rename(received, file);
      await syncDirectory(dirname(file));
      return existed;
    }
    const { temp, out } = await this.#temporary(file);
    try {
      const old = await openRegular(file, 'conflict');
      await this.#confine(old).catch(async (error: unknown) => {
        await old.close();
        throw error;
      });
      await pipeline(old.createReadStream(), out, { end: false });
      await pipeline(createReadStream(received), out);
      if (!out.closed) await once(out, 'close');
      await rename(temp, file);
      await syncDirectory(dirname(file));
      return existed;
    } catch (error) {
      out.destroy();
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  /**
   * Refuses (`forbidden`) a file opened outside the folder: a folder on its path swapped for a
   * symbolic link after {@link SafeFolder.resolve} looked at it leads there, and `O_NOFOLLOW`
   * only guards the last name. The opened file's own path comes from `/proc/self/fd`; a system
   * without it is not checked.
   */
  async #confine(handle: FileHandle): Promise<void> {
    let opened: string;
    try {
      opened = await readlink(`/proc/self/fd/${handle.fd}`);
    } catch {
      return;
    }
    // A failure (the folder gone for a moment) is not kept: the next open asks again.
    this.#realRoot ??= realpath(this.root).catch((error: unknown) => {
      this.#realRoot = undefined;
      throw error;
    });
    const root = await this.#realRoot;
    if (opened === root || opened.startsWith(root.endsWith('/') ? root : `${root}/`)) return;
    throw new ParleyError('forbidden', 'Symbolic links are not followed');
  }

  /** Creates the missing directories of a request path's parent (refusing symlinks on the way). */
  async makeParents(path: string): Promise<void> {
    const segments = pathSegments(normalizePath(path)).slice(0, -1);
    let current = '/';
    for (const segment of segments) {
      current += `${segment}/`;
      const { file, stat } = await this.resolve(current);
      if (stat === undefined) await this.#makeFolder(file, current);
      else if (!stat.isDirectory()) throw new ParleyError('conflict', `${current} is a file`);
    }
  }

  /** Makes a folder; one made meanwhile by another request is fine, unless it is no folder. */
  async #makeFolder(file: string, path: string): Promise<void> {
    try {
      await mkdir(file);
      await syncDirectory(dirname(file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const { stat } = await this.resolve(path);
      if (!stat?.isDirectory()) throw new ParleyError('conflict', `${path} is a file`);
    }
  }

  /**
   * Renames `from` to `to` (both resolved disk paths), replacing a file there unless `overwrite`
   * is false (then an existing `to` is `precondition_failed`, WebDAV's 412), holding both names'
   * turns; a failed `precondition` on `from` is `precondition_failed` too. Resolves with whether `to` existed.
   */
  move(
    from: string,
    to: string,
    overwrite = true,
    precondition?: Precondition | undefined,
  ): Promise<boolean> {
    return this.#lock.runAll([this.#key(from), this.#key(to)], async () => {
      if (precondition !== undefined) checkPrecondition(precondition, await lstatOrUndefined(from));
      const existed = (await lstatOrUndefined(to)) !== undefined;
      if (existed && !overwrite)
        throw new ParleyError('precondition_failed', 'The target exists and the MOVE may not replace it');
      await rename(from, to);
      await syncDirectory(dirname(to));
      if (dirname(from) !== dirname(to)) await syncDirectory(dirname(from));
      return existed;
    });
  }

  /** Removes a file, or an empty directory; a failed `precondition` is `precondition_failed`. */
  remove(file: string, stat: Stats, precondition?: Precondition | undefined): Promise<void> {
    return this.#lock.run(this.#key(file), async () => {
      if (precondition !== undefined) checkPrecondition(precondition, await lstatOrUndefined(file));
      await (stat.isDirectory() ? rmdir(file) : unlink(file));
      await syncDirectory(dirname(file));
    });
  }

  /** The lock key of a disk path: its path in the folder, the same whatever path the folder is served by. */
  #key(file: string): string {
    return relative(this.root, file);
  }
}

/** A file opened for reading, and what it was when opened. */
export interface OpenedFile {
  /** The opened file's own `fstat`. */
  readonly stat: Stats;
  /**
   * Its bytes `first` to `last` (inclusive), the part its answer announced, even when the file
   * grows meanwhile (more bytes would be read as the next answer on the connection). Called
   * once: the file is closed when the stream ends or is destroyed.
   */
  read(first: number, last: number): Readable;
}

function readPart(handle: FileHandle, first: number, last: number): Readable {
  if (last < first) {
    void handle.close();
    return Readable.from([]);
  }
  return handle.createReadStream({ highWaterMark: 256 * 1024, start: first, end: last });
}

/**
 * Opens a regular file for reading without following a symbolic link or blocking on a FIFO;
 * anything else fails with `status`.
 */
async function openRegular(file: string, status: 'not_found' | 'conflict'): Promise<FileHandle> {
  const handle = await openRegularFile(file);
  if (handle !== undefined) return handle;
  throw status === 'conflict' ? notRegular() : new ParleyError('not_found', 'Not a regular file');
}

/** Throws `precondition_failed` when `precondition` fails for `current`. */
function checkPrecondition(precondition: Precondition | undefined, current: Stats | undefined): void {
  const reason = precondition?.(current);
  if (reason !== undefined) throw new ParleyError('precondition_failed', `Not changed: ${reason}`);
}

/** Throws `conflict` when `found` is there but no regular file, `precondition_failed` when `precondition` fails for it. */
function checkWritable(found: Stats | undefined, precondition: Precondition | undefined): void {
  if (found !== undefined && !found.isFile()) throw notRegular();
  checkPrecondition(precondition, found);
}

function notRegular(): ParleyError {
  return new ParleyError('conflict', 'Not a regular file (a FIFO, a socket or a device)');
}

/**
 * Makes a folder's entries durable (a rename, a new file or folder, a removal in it) before the
 * reply, so a power loss cannot undo an acknowledged change.
 */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NONBLOCK);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function lstatOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
