import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body } from '@parley/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDiskStore } from '../src/disk-store.js';

describe('the disk store at the edges of its directory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-notes-edges-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads a note that grows while it is read at the size its answer announced', async () => {
    const store = await openDiskStore(dir);
    await store.write('log.txt', Body.from('a'.repeat(100_000)), { mode: 'replace' });
    const read = await store.read('log.txt');
    await appendFile(join(dir, 'log.txt'), 'b'.repeat(50_000));
    expect(read?.info.size).toBe(100_000);
    expect(await (read as { body: Body }).body.text()).toBe('a'.repeat(100_000));
  });

  it('reads an empty note as an empty body', async () => {
    const store = await openDiskStore(dir);
    await writeFile(join(dir, 'empty.txt'), '');
    expect(await (await store.read('empty.txt'))?.body.text()).toBe('');
  });

  it('makes missing parent folders of its directory', async () => {
    const store = await openDiskStore(join(dir, 'a', 'b', 'notes'));
    await store.write('x.txt', Body.from('x'), { mode: 'replace' });
    expect(await (await store.read('x.txt'))?.body.text()).toBe('x');
  });

  it('refuses at once a directory it cannot make (where Node would loop for ever) or a file', async () => {
    await expect(openDiskStore('/proc/1/parley-notes')).rejects.toMatchObject({ code: 'ENOENT' });
    await writeFile(join(dir, 'file'), 'x');
    await expect(openDiskStore(join(dir, 'file'))).rejects.toThrow(/exists and is not a directory/);
  });
});
