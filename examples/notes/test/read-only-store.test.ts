import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { serviceWithClients } from './helpers.js';

/**
 * A directory holding one note and a temporary file a crash left, seen through a read-only bind
 * mount; `undefined` where mounting is not allowed.
 */
async function readOnlyCopy(): Promise<{ root: string; dir: string } | undefined> {
  const root = await mkdtemp(join(tmpdir(), 'parley-notes-ro-'));
  const writable = join(root, 'writable');
  const dir = join(root, 'read-only');
  await mkdir(writable);
  await mkdir(dir);
  await writeFile(join(writable, 'kept.txt'), 'the old content');
  await writeFile(join(writable, '.upload-left-by-a-crash'), 'half');
  try {
    execFileSync('mount', ['--bind', writable, dir], { stdio: 'ignore' });
    execFileSync('mount', ['-o', 'remount,ro,bind', dir], { stdio: 'ignore' });
    return { root, dir };
  } catch {
    try {
      execFileSync('umount', [dir], { stdio: 'ignore' });
    } catch {}
    await rm(root, { recursive: true, force: true });
    return undefined;
  }
}

const store = await readOnlyCopy().catch(() => undefined);

describe.skipIf(store === undefined)('the notes service on a read-only directory', () => {
  const dataDir = store?.dir ?? '';
  const notes = serviceWithClients({ PARLEY_DATA_DIR: dataDir }, undefined, async () => {
    if (store !== undefined) {
      execFileSync('umount', [store.dir]);
      await rm(store.root, { recursive: true, force: true });
    }
  });

  it('serves the notes for reading, and lists no temporary file', async () => {
    const read = await (notes.clients.http as Client).get('/notes/kept.txt');
    expect(await read.body.text()).toBe('the old content');
    const listing = await (await (notes.clients.http as Client).list('/notes/')).body.text();
    expect(listing).toContain('kept.txt');
    expect(listing).not.toContain('.upload-');
  });

  it.each(['http', 'ws', 'ftp', 'mqtt'])('over %s, refuses every change as forbidden', async (protocol) => {
    const client = notes.clients[protocol] as Client;
    const statuses = [
      (await client.put('/notes/kept.txt', 'new content')).status,
      (await client.put('/notes/new.txt', 'new content')).status,
      (await client.post('/notes/kept.txt', ', and more')).status,
      (await client.delete('/notes/kept.txt')).status,
      (await client.move('/notes/kept.txt', '/notes/moved.txt')).status,
    ];
    expect(statuses, notes.service.log.join('\n')).toEqual(Array(5).fill('forbidden'));
    expect(await readFile(join(dataDir, 'kept.txt'), 'utf8')).toBe('the old content');
    expect((await readdir(dataDir)).sort()).toEqual(['.upload-left-by-a-crash', 'kept.txt']);
  });

  it('over smtp, refuses a mail to a note as forbidden', async () => {
    expect((await (notes.clients.smtp as Client).post('/notes/kept.txt', 'more')).status).toBe('forbidden');
    expect(await readFile(join(dataDir, 'kept.txt'), 'utf8')).toBe('the old content');
  });
});
