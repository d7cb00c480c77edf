import { spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deadPid } from '../../../test/support/processes.js';
import { processStartTime } from '../src/file-lock.js';
import {
  FileLock,
  isProcessAlive,
  LOCK_PREFIX,
  lockFileName,
  ownedTempName,
  removeLeftovers,
} from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'parley-file-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
function freshDir(): string {
  const dir = join(root, String(count++));
  mkdirSync(dir);
  return dir;
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('FileLock', () => {
  it('runs the tasks of one key one at a time, across two locks on one directory', async () => {
    const dir = freshDir();
    const locks = [new FileLock(dir), new FileLock(dir)];
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (locks[i % 2] as FileLock).run('a.txt', async () => {
          inside++;
          most = Math.max(most, inside);
          await turn();
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lets tasks of other keys run at once', async () => {
    const dir = freshDir();
    const lock = new FileLock(dir);
    let inside = 0;
    let most = 0;
    let allIn: () => void = () => undefined;
    const allInside = new Promise<void>((resolve) => {
      allIn = resolve;
    });
    // Each task waits (bounded) for the other two to be inside too: with one key's lock held
    // against the others, they would never all be.
    const bound = new Promise((resolve) => setTimeout(resolve, 5_000).unref());
    await Promise.all(
      ['a', 'b', 'c'].map((key) =>
        lock.run(key, async () => {
          inside++;
          most = Math.max(most, inside);
          if (inside === 3) allIn();
          await Promise.race([allInside, bound]);
          inside--;
        }),
      ),
    );
    expect(most).toBe(3);
  });

  it('gives up with a retryable unavailable when a live process holds the lock past the bound', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, lockFileName('a.txt')), `${process.ppid} ${hostname()}\n`);
    const lock = new FileLock(dir, { timeoutMs: 0 });
    await expect(lock.run('a.txt', async () => 'ran')).rejects.toMatchObject({
      status: 'unavailable',
      retryable: true,
    });
  });

  it('takes over a lock naming its own pid that it does not hold (an earlier process of that pid)', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, lockFileName('a.txt')), `${process.pid} ${hostname()}\n`);
    const lock = new FileLock(dir, { timeoutMs: 0 });
    expect(await lock.run('a.txt', async () => 'ran')).toBe('ran');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over at once the lock of a pid now used by a later process (its start time differs)', async () => {
    const dir = freshDir();
    const later = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const pid = later.pid as number;
      const started = processStartTime(pid);
      expect(started).toMatch(/^\d+$/);
      symlinkSync(`${pid} ${hostname()} ${Number(started) - 1}`, join(dir, lockFileName('a.txt')));
      const lock = new FileLock(dir, { timeoutMs: 0 });
      expect(await lock.run('a.txt', async () => 'ran')).toBe('ran');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      later.kill();
    }
  });

  it('waits for a live process whose start time the lock names', async () => {
    const dir = freshDir();
    const owner = `${process.ppid} ${hostname()} ${processStartTime(process.ppid)}`;
    symlinkSync(owner, join(dir, lockFileName('a.txt')));
    const lock = new FileLock(dir, { timeoutMs: 0 });
    await expect(lock.run('a.txt', async () => 'ran')).rejects.toMatchObject({ status: 'unavailable' });
  });

  it('reads the start time of a process from /proc, and none for a pid not in use', () => {
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
    expect(Number(processStartTime(process.pid))).toBeGreaterThanOrEqual(Number(processStartTime(1)));
    expect(processStartTime(deadPid())).toBeUndefined();
  });

  it('never breaks the lock of another host, whose processes it cannot see', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, lockFileName('a.txt')), `${deadPid()} another-host.example\n`);
    const lock = new FileLock(dir, { timeoutMs: 0 });
    await expect(lock.run('a.txt', async () => 'ran')).rejects.toMatchObject({ status: 'unavailable' });
  });

  it('takes over at once the lock of a process that is no longer alive', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, lockFileName('a.txt')), `${deadPid()} ${hostname()}\n`);
    const lock = new FileLock(dir, { timeoutMs: 0 });
    expect(await lock.run('a.txt', async () => 'ran')).toBe('ran');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over at once a lock made as a symbolic link by a process no longer alive', async () => {
    const dir = freshDir();
    symlinkSync(`${deadPid()} ${hostname()}`, join(dir, lockFileName('a.txt')));
    const lock = new FileLock(dir, { timeoutMs: 0 });
    expect(await lock.run('a.txt', async () => 'ran')).toBe('ran');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('makes its lock a symbolic link naming its pid, host and start time, removed once the task is done', async () => {
    const dir = freshDir();
    const lock = new FileLock(dir);
    const target = await lock.run('a.txt', async () => readlinkSync(join(dir, lockFileName('a.txt'))));
    expect(target).toBe(`${process.pid} ${hostname()} ${processStartTime(process.pid)}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock left empty long ago (its owner died right after creating it)', async () => {
    const dir = freshDir();
    const path = join(dir, lockFileName('a.txt'));
    writeFileSync(path, '');
    const lock = new FileLock(dir, { timeoutMs: 0 });
    await expect(lock.run('a.txt', async () => 'ran')).rejects.toMatchObject({ status: 'unavailable' });
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    expect(await lock.run('a.txt', async () => 'ran')).toBe('ran');
  });

  it('stops waiting when the caller aborts', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, lockFileName('a.txt')), `${process.ppid} ${hostname()}\n`);
    const lock = new FileLock(dir);
    const controller = new AbortController();
    const run = lock.run('a.txt', async () => 'ran', controller.signal);
    controller.abort();
    await expect(run).rejects.toMatchObject({ status: 'cancelled' });
  });

  it('holds both keys of a move, whichever order they are named in', async () => {
    const dir = freshDir();
    const lock = new FileLock(dir);
    const seen: string[][] = [];
    await Promise.all([
      lock.runAll(['a', 'b'], async () => {
        seen.push(readdirSync(dir).sort());
        await turn();
      }),
      lock.runAll(['b', 'a'], async () => {
        seen.push(readdirSync(dir).sort());
      }),
    ]);
    const both = [lockFileName('a'), lockFileName('b')].sort();
    expect(seen).toEqual([both, both]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('releases the lock when the task fails', async () => {
    const dir = freshDir();
    const lock = new FileLock(dir, { timeoutMs: 0 });
    await expect(lock.run('a', () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    expect(await lock.run('a', async () => 'ran')).toBe('ran');
  });
});

describe('removeLeftovers', () => {
  it('removes the temporary files of dead processes and stale locks, keeps those of live ones', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'sub'));
    const dead = deadPid();
    const live = ownedTempName('.tmp-');
    expect(live.startsWith(`.tmp-${process.pid}-`)).toBe(true);
    const names = {
      dead: `.tmp-${dead}-abc`,
      old: '.tmp-0123456789abcdef',
      live,
      note: 'kept.txt',
      staleLock: lockFileName('x'),
      liveLock: lockFileName('y'),
    };
    for (const name of [names.dead, names.old, names.live, names.note]) {
      writeFileSync(join(dir, name), 'x');
      writeFileSync(join(dir, 'sub', name), 'x');
    }
    writeFileSync(join(dir, names.staleLock), `${dead} ${hostname()}\n`);
    writeFileSync(join(dir, names.liveLock), `${process.ppid} ${hostname()}\n`);
    await removeLeftovers(dir, '.tmp-', { recursive: true });
    expect(readdirSync(dir).sort()).toEqual([names.live, names.liveLock, names.note, 'sub'].sort());
    expect(readdirSync(join(dir, 'sub')).sort()).toEqual([names.live, names.note].sort());
    expect(LOCK_PREFIX).toBe('.parley-lock-');
  });

  it('tells live processes from dead ones', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(deadPid())).toBe(false);
    expect(isProcessAlive(0)).toBe(false);
    expect(isProcessAlive(-1)).toBe(false);
  });
});
