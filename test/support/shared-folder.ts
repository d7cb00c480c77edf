import { spawn } from 'node:child_process';
import { Body, type Client } from '@parley/core';
import { expect } from 'vitest';
import { gate } from './gate.js';

/**
 * Takes a file's lock the way a store does (the lock file `lock` holding this pid and host), from
 * another process, then kills that process (SIGKILL) while it holds the lock.
 */
export async function holdLockAndDie(lock: string): Promise<void> {
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `require('node:fs').writeFileSync(${JSON.stringify(lock)}, process.pid + ' ' + require('node:os').hostname() + '\\n', { flag: 'wx' }); console.log('held'); setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve) => holder.stdout?.once('data', resolve));
  const exited = new Promise((resolve) => holder.once('exit', resolve));
  holder.kill('SIGKILL');
  await exited;
}

/** A body that sends `first half, `, then waits for `finish` to send `second half`. */
export function gatedUpload(): { body: Body; finish: () => void } {
  const finished = gate();
  async function* slowly(): AsyncGenerator<Uint8Array> {
    yield Buffer.from('first half, ');
    await finished.opened;
    yield Buffer.from('second half');
  }
  return { body: Body.from(slowly()), finish: finished.open };
}

/**
 * Replaces the file at `path` `replacements` times through `client(1)` while two appenders post
 * lines to it through `client(0)` and `client(2)` (so two processes, when `client` alternates
 * between two), then checks with `read` that no append undid an acknowledged replacement: the
 * file starts with the last replacement, holds after it every line sent once that replacement
 * was acknowledged, nothing twice and nothing from before.
 */
export async function appendsRacingReplacements(
  client: (i: number) => Client,
  path: string,
  replacements: number,
  read: () => Promise<string> | string,
): Promise<void> {
  await client(0).put(path, 'base\n');
  let replacing = true;
  let lastReplace = { body: 'base\n', ackedAt: 0 };
  const appends: Array<{ line: string; sentAt: number }> = [];
  const replacer = (async () => {
    for (let k = 0; k < replacements; k++) {
      const body = `replaced ${k}\n`;
      expect((await client(1).put(path, body)).status).toBe('ok');
      lastReplace = { body, ackedAt: performance.now() };
    }
    replacing = false;
  })();
  const appenders = [0, 2].map(async (worker) => {
    for (let i = 0; replacing || i < 5; i++) {
      const line = `append ${worker}-${i}`;
      const sentAt = performance.now();
      expect((await client(worker).post(path, `${line}\n`)).status).toBe('ok');
      appends.push({ line, sentAt });
    }
  });
  await Promise.all([replacer, ...appenders]);
  const stored = await read();
  expect(stored.startsWith(lastReplace.body)).toBe(true);
  const rest = stored.slice(lastReplace.body.length).split('\n').slice(0, -1);
  for (const append of appends.filter((each) => each.sentAt > lastReplace.ackedAt))
    expect(rest).toContain(append.line);
  expect(new Set(rest).size).toBe(rest.length);
  expect(stored).not.toContain('base\n');
}
