import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { lstat, open, readdir, readlink, rm, symlink, unlink } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';
import { abortError, ParleyError } from './error.js';
import { KeyedLock } from './keyed-lock.js';
import { READ_NO_FOLLOW } from './regular-file.js';

/** Lock files (and their breakers) start with this; a store never lists nor serves them. */
export const LOCK_PREFIX = '.parley-lock-';

/** Options of a {@link FileLock}. */
export interface FileLockOptions {
  /** How long a change waits for another process's lock before failing with `unavailable`. Default: 30 s. */
  readonly timeoutMs?: number | undefined;
}

/** The longest pause between two attempts to take a lock, in ms. */
const MAX_PAUSE_MS = 50;
/** A lock file still empty (or a breaker still there) after this long was left by a crash. */
const ABANDONED_MS = 10_000;

/**
 * Serialises the changes of one name across every process on this host that shares a
 * directory: an in-process {@link KeyedLock} first (so one process's own writers never poll),
 * then a lock in `dir`, `.parley-lock-<hash of the key>`, naming the owner's pid, host name and
 * (on Linux) the time its process started, so a pid used again by a later process is told apart:
 * a symbolic link whose target is that line (made whole in one system call; nothing follows
 * it), or where the file system has none, a regular file created exclusively holding it. It is
 * removed when the task settles. A lock whose owner is no
 * longer alive on this host (or was taken before the last boot) is taken over at once; a live
 * one is waited for, a few ms up to 50 ms between attempts, up to `timeoutMs` (then
 * `unavailable`, retryable) or until the caller's signal aborts. The processes must run on one
 * host: a network file system's own locking is not relied on.
 *
 * @example
 * ```ts
 * const lock = new FileLock('/srv/notes');
 * await lock.run('a.txt', () => appendLine('/srv/notes/a.txt', 'hello'), request.signal);
 * ```
 */
export class FileLock {
  readonly #dir: string;
  readonly #timeoutMs: number;
  readonly #local = new KeyedLock();

  constructor(dir: string, options: FileLockOptions = {}) {
    this.#dir = dir;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Runs `task` holding `key` in this process and across processes; resolves or rejects as it does. */
  run<T>(key: string, task: () => Promise<T>, signal?: AbortSignal | undefined): Promise<T> {
    return this.runAll([key], task, signal);
  }

  /**
   * Runs `task` holding every key at once (a move holds both names), taken in one fixed order
   * by every process, so two tasks never wait on each other.
   */
  runAll<T>(keys: readonly string[], task: () => Promise<T>, signal?: AbortSignal | undefined): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    return this.#local.runAll(sorted, async () => {
      const deadline = Date.now() + this.#timeoutMs;
      const held: string[] = [];
      try {
        for (const key of sorted) {
          const path = join(this.#dir, lockFileName(key));
          await acquire(path, deadline, signal);
          held.push(path);
        }
        return await task();
      } finally {
        for (const path of held.reverse()) {
          await unlink(path).catch(() => {});
          inUse(path, -1);
        }
      }
    });
  }
}

/** The name of the lock file of `key`: {@link LOCK_PREFIX} and 32 hex digits of its SHA-256. */
export function lockFileName(key: string): string {
  return `${LOCK_PREFIX}${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** Whether a process of this pid runs on this host (one of another user counts as alive). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * When the process of `pid` started, as `/proc/<pid>/stat` gives it (clock ticks since boot);
 * `undefined` where there is no `/proc` or no such process. A pid names one process at a time,
 * so a pid and its start time name one process for ever.
 */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: fields are counted after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Field 22 of the line; the first field after the name is field 3.
  const start = fields[22 - 3];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

/** A name for a temporary file of this process: `<prefix><pid>-<random>`, see {@link removeLeftovers}. */
export function ownedTempName(prefix: string): string {
  return `${prefix}${process.pid}-${randomBytes(8).toString('hex')}`;
}

/**
 * Removes what crashed processes left in `dir`: temporary files named `<prefix><pid>-...`
 * whose process is no longer alive (and older ones with no pid in their name), and stale lock
 * files. Files of live processes (another process's upload in flight) are kept. With
 * `recursive`, folders below are cleaned too (symbolic links are not followed). A directory
 * that cannot be written is left as it is.
 */
export async function removeLeftovers(
  dir: string,
  prefix: string,
  options: { recursive?: boolean | undefined } = {},
): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && options.recursive === true) {
      await removeLeftovers(path, prefix, options).catch(ignoreNotWritable);
    } else if (entry.name.startsWith(prefix) && !entry.isDirectory()) {
      const pid = /^(\d+)-/.exec(entry.name.slice(prefix.length))?.[1];
      if (pid === undefined || !isProcessAlive(Number(pid))) {
        await rm(path, { force: true }).catch(ignoreNotWritable);
      }
    } else if (entry.name.startsWith(LOCK_PREFIX)) {
      await (entry.name.endsWith('.break') ? removeAbandonedBreaker(path) : breakIfStale(path)).catch(
        ignoreNotWritable,
      );
    }
  }
}

/**
 * The locks this process holds or is taking, counted per path (several `FileLock`s of this
 * process may share a directory): a lock naming this process's pid that is not among them was
 * left by an earlier process of the same pid (a container restarted after a crash) and is stale.
 */
const ownLocks = new Map<string, number>();

function inUse(path: string, change: 1 | -1): void {
  const count = (ownLocks.get(path) ?? 0) + change;
  if (count > 0) ownLocks.set(path, count);
  else ownLocks.delete(path);
}

/** Takes the lock file at `path`, waiting for a live owner until `deadline` or an abort. */
async function acquire(path: string, deadline: number, signal: AbortSignal | undefined): Promise<void> {
  let pause = 2;
  for (;;) {
    if (signal?.aborted) throw abortError(signal);
    // Counted before it exists, so that no other lock of this process takes it for a leftover.
    inUse(path, 1);
    let created = false;
    try {
      created = await create(path);
    } finally {
      if (!created) inUse(path, -1);
    }
    if (created) return;
    if (await breakIfStale(path)) continue;
    if (Date.now() >= deadline) {
      throw new ParleyError('unavailable', 'Another process is changing this file: try again', {
        retryAfterMs: 1_000,
      });
    }
    await sleep(pause / 2 + Math.random() * (pause / 2), signal);
    pause = Math.min(pause * 2, MAX_PAUSE_MS);
  }
}

/** Whether this process makes its locks as regular files: the file system has no symbolic links. */
let asFiles = false;

/**
 * Creates the lock at `path` naming this process's pid and host name; false when it exists. A
 * symbolic link whose target is that line: created with its content in one system call, so no
 * one ever sees a lock half made (nothing follows it: its target names no file). Where the
 * file system has no symbolic links, an exclusively created regular file holding the line.
 */
async function create(path: string): Promise<boolean> {
  if (!asFiles) {
    try {
      await symlink(ownerLine(), path);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
      asFiles = true;
    }
  }
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.write(ownerLine());
  } catch (error) {
    await handle.close();
    await unlink(path).catch(() => {});
    throw error;
  }
  await handle.close();
  return true;
}

let owner: { readonly host: string; readonly line: string } | undefined;

/** This process's start time, read once (see {@link processStartTime}). */
let ownStart: string | undefined | null = null;

/**
 * What a lock of this process names: its pid, host name and, where `/proc` tells it, its start
 * time (`<pid> <host> <start>`; made once per host name).
 */
function ownerLine(): string {
  const host = hostname();
  if (ownStart === null) ownStart = processStartTime(process.pid);
  if (owner?.host !== host)
    owner = {
      host,
      line: ownStart === undefined ? `${process.pid} ${host}` : `${process.pid} ${host} ${ownStart}`,
    };
  return owner.line;
}

/** Who holds a lock, as far as its content and status tell. */
interface Owner {
  readonly pid: number | undefined;
  readonly host: string | undefined;
  /** When the owner's process started (see {@link processStartTime}), if the lock says. */
  readonly start: string | undefined;
  readonly ino: number;
  readonly modified: number;
  /** Neither a symbolic link nor a regular file: nothing a lock would be. */
  readonly junk: boolean;
}

/** The owner of the lock at `path`, or `undefined` when it is gone. */
async function readOwner(path: string): Promise<Owner | undefined> {
  const found = await lstat(path).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  if (found === undefined) return undefined;
  const status = { ino: found.ino, modified: found.mtimeMs };
  let line: string | undefined;
  if (found.isSymbolicLink()) line = await readlink(path).catch(() => undefined);
  else if (found.isFile()) line = await readLine(path);
  else return { pid: undefined, host: undefined, start: undefined, ...status, junk: true };
  if (line === undefined) return undefined;
  const [pid, host, start] = line.trim().split(' ');
  return {
    pid: pid === undefined || pid === '' ? undefined : Number(pid),
    host,
    start,
    ...status,
    junk: false,
  };
}

/** The first bytes of a lock made as a regular file; `undefined` when it is gone. */
async function readLine(path: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, READ_NO_FOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') return undefined;
    throw error;
  }
  try {
    const buffer = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Whether a lock's owner is certainly gone: dead on this host, an earlier process of this
 * process's pid or of a pid now used by another process (its start time differs), or the lock
 * predates the boot.
 */
function isStale(path: string, owner: Owner): boolean {
  // A folder or a FIFO of that name was not made by a lock: left alone, and waited for.
  if (owner.junk) return false;
  const bootTime = Date.now() - uptime() * 1_000;
  if (owner.modified < bootTime - 1_000) return true;
  // Created, not yet written: its owner is writing it now, unless it died right there.
  if (owner.pid === undefined || Number.isNaN(owner.pid)) return Date.now() - owner.modified > ABANDONED_MS;
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return !ownLocks.has(path);
  if (!isProcessAlive(owner.pid)) return true;
  if (owner.start === undefined) return false;
  const start = processStartTime(owner.pid);
  return start !== undefined && start !== owner.start;
}

/**
 * Removes the lock file at `path` if its owner is gone; true when the lock may be tried again
 * at once. Processes break a lock one at a time, each holding its breaker (`<lock>.break`) and
 * checking again that it is the same stale file, so no process removes a lock another one has
 * just taken in its place.
 */
async function breakIfStale(path: string): Promise<boolean> {
  const owner = await readOwner(path);
  if (owner === undefined) return true;
  if (!isStale(path, owner)) return false;
  const breaker = `${path}.break`;
  try {
    const handle = await open(breaker, 'wx', 0o644);
    await handle.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    await removeAbandonedBreaker(breaker);
    return false;
  }
  try {
    const again = await readOwner(path);
    if (again !== undefined && again.ino === owner.ino && isStale(path, again))
      await rm(path, { force: true });
  } finally {
    await unlink(breaker).catch(() => {});
  }
  return true;
}

/** Removes a breaker left by a process that died while breaking a lock (it is held for a moment only). */
async function removeAbandonedBreaker(breaker: string): Promise<void> {
  const found = await lstat(breaker).catch(() => undefined);
  if (found !== undefined && Date.now() - found.mtimeMs > ABANDONED_MS) await rm(breaker, { force: true });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function ignoreNotWritable(error: unknown): void {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'EROFS' && code !== 'EACCES' && code !== 'EPERM' && code !== 'ENOENT') throw error;
}
