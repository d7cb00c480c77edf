import { readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest, type Method } from '@parley/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { folderService } from '../src/serve/folder.js';

/** The paths of the files and folders flushed to disk (`FileHandle.sync`), as they are flushed. */
const synced: string[] = [];

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'parley-serve-sync-'));
  const probe = await open(root, 'r');
  const prototype = Object.getPrototypeOf(probe) as { sync(this: { fd: number }): Promise<void> };
  await probe.close();
  const sync = prototype.sync;
  vi.spyOn(prototype, 'sync').mockImplementation(function (this: { fd: number }) {
    synced.push(readlinkSync(`/proc/self/fd/${this.fd}`));
    return sync.call(this);
  });
});

afterEach(() => {
  synced.length = 0;
});

afterAll(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

async function send(method: Method, path: string, body = '', destination?: string): Promise<string> {
  const serve = folderService(root, { write: true });
  const headers = destination === undefined ? undefined : { destination };
  const response = await serve(createRequest({ method, path, body, ...(headers ? { headers } : {}) }));
  return response.status;
}

describe.skipIf(process.platform !== 'linux')(
  'parley serve --write flushes each change to disk before the reply',
  () => {
    it('flushes the folder after an upload is renamed into place, so a power loss cannot undo it', async () => {
      await mkdir(join(root, 'a'));
      expect(await send('PUT', '/a/new.txt', 'content')).toBe('created');
      expect(synced).toContain(join(root, 'a'));
    });

    it('flushes the folder after an append, a new folder, a removal and a rename', async () => {
      await writeFile(join(root, 'log.txt'), 'start\n');
      expect(await send('POST', '/log.txt', 'more\n')).toBe('ok');
      expect(synced).toContain(root);
      synced.length = 0;
      expect(await send('PUT', '/made/')).toBe('created');
      expect(synced).toContain(root);
      synced.length = 0;
      expect(await send('DELETE', '/log.txt')).toBe('no_content');
      expect(synced).toContain(root);
      synced.length = 0;
      await writeFile(join(root, 'from.txt'), 'moving');
      expect(await send('MOVE', '/from.txt', '', '/made/to.txt')).toBe('created');
      expect(synced).toEqual(expect.arrayContaining([root, join(root, 'made')]));
    });
  },
);
