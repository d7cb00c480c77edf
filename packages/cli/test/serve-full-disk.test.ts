import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest, type Method, type Response } from '@parley/core';
import { afterAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const MiB = 1024 * 1024;

/** Runs `mount` with these arguments; false where mounting is not allowed. */
function mount(...args: string[]): boolean {
  try {
    execFileSync('mount', args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A 4 MiB tmpfs holding `kept.txt`, and a read-only bind mount of a folder holding it too. */
async function disks(): Promise<{ root: string; full: string; readOnly: string } | undefined> {
  const root = await mkdtemp(join(tmpdir(), 'parley-serve-disks-'));
  const full = join(root, 'full');
  const writable = join(root, 'writable');
  const readOnly = join(root, 'read-only');
  await Promise.all([mkdir(full), mkdir(writable), mkdir(readOnly)]);
  await writeFile(join(writable, 'kept.txt'), 'the old content');
  if (
    mount('-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', full) &&
    mount('--bind', writable, readOnly) &&
    mount('-o', 'remount,ro,bind', readOnly)
  ) {
    await writeFile(join(full, 'kept.txt'), 'the old content');
    return { root, full, readOnly };
  }
  for (const dir of [readOnly, full]) mount('-o', 'remount,rw', dir) && execFileSync('umount', [dir]);
  await rm(root, { recursive: true, force: true });
  return undefined;
}

const found = await disks().catch(() => undefined);

afterAll(async () => {
  if (found === undefined) return;
  execFileSync('umount', [found.full]);
  execFileSync('umount', [found.readOnly]);
  await rm(found.root, { recursive: true, force: true });
});

async function status(
  root: string,
  method: Method,
  path: string,
  body: string | Uint8Array = '',
): Promise<string> {
  const serve = folderService(root, { write: true });
  const headers = method === 'MOVE' ? { destination: '/moved.txt' } : undefined;
  try {
    const response: Response = await serve(
      createRequest({ method, path, body, ...(headers ? { headers } : {}) }),
    );
    return response.status;
  } catch (error) {
    return (error as { status: string }).status;
  }
}

describe.skipIf(found === undefined)('parley serve --write on a full or read-only disk', () => {
  const full = found?.full ?? '';
  const readOnly = found?.readOnly ?? '';

  it('answers insufficient_storage to an upload or append the disk has no room for, and keeps the old file', async () => {
    const big = new Uint8Array(5 * MiB).fill(0x61);
    expect(await status(full, 'PUT', '/kept.txt', big)).toBe('insufficient_storage');
    expect(await status(full, 'POST', '/kept.txt', big)).toBe('insufficient_storage');
    expect(await status(full, 'PUT', '/new.txt', big)).toBe('insufficient_storage');
    expect(await readdir(full)).toEqual(['kept.txt']);
    expect(await readFile(join(full, 'kept.txt'), 'utf8')).toBe('the old content');
    expect(await status(full, 'PUT', '/kept.txt', 'fits')).toBe('ok');
  });

  it.each([
    ['PUT', '/kept.txt'],
    ['PUT', '/new.txt'],
    ['POST', '/kept.txt'],
    ['PUT', '/folder/'],
    ['PUT', '/folder/new.txt'],
    ['DELETE', '/kept.txt'],
    ['MOVE', '/kept.txt'],
  ] as const)(
    'answers forbidden to %s %s on a read-only folder, and changes nothing',
    async (method, path) => {
      // A folder (a path ending in /) is made without content.
      const body = path.endsWith('/') ? '' : 'new content';
      expect(await status(readOnly, method, path, body)).toBe('forbidden');
      expect(await readdir(readOnly)).toEqual(['kept.txt']);
      expect(await readFile(join(readOnly, 'kept.txt'), 'utf8')).toBe('the old content');
    },
  );
});
