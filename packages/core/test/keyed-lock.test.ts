import { KeyedLock } from '@parley/core';
import { describe, expect, it } from 'vitest';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('KeyedLock', () => {
  it('runs the tasks of one key one at a time, in order, and other keys freely', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      lock.run('a', task('a1')),
      lock.run('a', task('a2')),
      lock.run('b', task('b1')),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a1 end')).toBeLessThan(log.indexOf('a2 start'));
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
  });

  it('lets a failed task pass on its turn, and rejects only its own caller', async () => {
    const lock = new KeyedLock();
    const failed = lock.run('a', () => Promise.reject(new Error('disk full')));
    const next = lock.run('a', async () => 'written');
    await expect(failed).rejects.toThrow('disk full');
    await expect(next).resolves.toBe('written');
  });

  it('holds every key of runAll, whatever order two callers name them in', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const move = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
    };
    await Promise.all([
      lock.runAll(['x', 'y'], move('xy')),
      lock.runAll(['y', 'x'], move('yx')),
      lock.run('y', move('y')),
    ]);
    // Never two at once: each task ends before the next starts, and the two moves never deadlock.
    expect(log).toHaveLength(6);
    for (let k = 0; k < log.length; k += 2) expect(log[k + 1]).toBe(log[k]?.replace('start', 'end'));
    expect(log.indexOf('xy start')).toBeLessThan(log.indexOf('yx start'));
  });
});
