import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SafeFolder } from '../src/serve/safe-fs.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-swapped-'));
const outside = mkdtempSync(join(tmpdir(), 'parley-serve-outside-'));
writeFileSync(join(outside, 'secret.txt'), 'outside the served folder\n');

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

async function* chunks(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

/** Makes `root/<name>/secret.txt`, resolves it, then swaps the folder for a link to `outside`. */
async function resolvedThenSwapped(folder: SafeFolder, name: string): Promise<string> {
  mkdirSync(join(root, name));
  writeFileSync(join(root, name, 'secret.txt'), 'inside\n');
  const { file, stat } = await folder.resolve(`/${name}/secret.txt`);
  expect(stat?.isFile()).toBe(true);
  renameSync(join(root, name), join(root, `${name}-before`));
  symlinkSync(outside, join(root, name));
  return file;
}

describe('parley serve: a folder swapped for a symbolic link after its path was checked', () => {
  it('reading a file through it is forbidden, not the file outside', async () => {
    const folder = new SafeFolder(root);
    const file = await resolvedThenSwapped(folder, 'read');
    await expect(folder.open(file)).rejects.toMatchObject({ status: 'forbidden' });
  });

  it('writing through it is forbidden and leaves nothing outside', async () => {
    const folder = new SafeFolder(root);
    const file = await resolvedThenSwapped(folder, 'write');
    const target = join(file, '..', 'new.txt');
    await expect(folder.write(target, chunks('planted\n'))).rejects.toMatchObject({ status: 'forbidden' });
    expect(existsSync(join(outside, 'new.txt'))).toBe(false);
  });

  it('appending to a file through it is forbidden and the file outside is unchanged', async () => {
    const folder = new SafeFolder(root);
    const file = await resolvedThenSwapped(folder, 'append');
    await expect(folder.write(file, chunks('more\n'), true)).rejects.toMatchObject({ status: 'forbidden' });
    expect(existsSync(join(outside, 'secret.txt'))).toBe(true);
  });

  it('a folder missing for a moment is looked up again at the next open', async () => {
    const later = `${root}-later`;
    const folder = new SafeFolder(later);
    // The served folder is not there yet: a file opened elsewhere cannot be shown to lie in it.
    await expect(folder.open(join(outside, 'secret.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    mkdirSync(later);
    try {
      writeFileSync(join(later, 'now.txt'), 'now\n');
      const opened = await folder.open(join(later, 'now.txt'));
      expect(opened.stat.size).toBe(4);
      opened.read(0, 3).destroy();
    } finally {
      rmSync(later, { recursive: true, force: true });
    }
  });

  it('files inside the folder still open, also when a folder above it is named through a link', async () => {
    const link = `${root}-link`;
    mkdirSync(join(root, 'sub'));
    symlinkSync(root, link);
    try {
      writeFileSync(join(root, 'sub', 'plain.txt'), 'plain\n');
      const folder = new SafeFolder(join(link, 'sub'));
      const { file } = await folder.resolve('/plain.txt');
      const opened = await folder.open(file);
      expect(opened.stat.size).toBe(6);
      opened.read(0, 5).destroy();
    } finally {
      rmSync(link);
    }
  });
});
