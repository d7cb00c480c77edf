import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRegularFile } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'parley-regular-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('openRegularFile', () => {
  it('opens a regular file for reading', async () => {
    const file = join(root, 'note.txt');
    writeFileSync(file, 'hello');
    const handle = await openRegularFile(file);
    try {
      expect(handle).toBeDefined();
      expect((await handle?.readFile())?.toString()).toBe('hello');
    } finally {
      await handle?.close();
    }
  });

  it('gives undefined for a directory and for a FIFO, without blocking on it', async () => {
    const dir = join(root, 'folder');
    mkdirSync(dir);
    expect(await openRegularFile(dir)).toBeUndefined();
    const fifo = join(root, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(await openRegularFile(fifo)).toBeUndefined();
  });

  it('never follows a symbolic link, and throws a missing file as it is', async () => {
    const target = join(root, 'target.txt');
    writeFileSync(target, 'secret');
    const link = join(root, 'link.txt');
    symlinkSync(target, link);
    await expect(openRegularFile(link)).rejects.toMatchObject({ code: 'ELOOP' });
    await expect(openRegularFile(join(root, 'none.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
