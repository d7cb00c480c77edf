import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { serviceWithClients } from './helpers.js';

const MiB = 1024 * 1024;

/** Mounts a 4 MiB tmpfs at a fresh directory; `undefined` where mounting is not allowed. */
async function smallDisk(): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-notes-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    await rm(dir, { recursive: true, force: true });
    return undefined;
  }
}

const disk = await smallDisk();

describe.skipIf(disk === undefined)('the notes service on a full disk', () => {
  const dataDir = join(disk ?? '', 'notes');
  const notes = serviceWithClients({ PARLEY_DATA_DIR: dataDir }, undefined, async () => {
    if (disk !== undefined) {
      execFileSync('umount', [disk]);
      await rm(disk, { recursive: true, force: true });
    }
  });

  it.each(['http', 'ws', 'ftp', 'smtp', 'mqtt'])(
    'over %s, answers insufficient_storage (the disk is full), keeps the old note and leaves no file behind',
    async (protocol) => {
      const client = notes.clients[protocol] as Client;
      expect((await notes.clients.http?.put('/notes/kept.txt', 'the old content'))?.status).toMatch(
        /created|ok/,
      );
      // 5 MiB do not fit on a 4 MiB disk; MQTT's packets are smaller, so it gets 3 MiB twice over.
      const body = new Uint8Array((protocol === 'mqtt' ? 3 : 5) * MiB).fill(0x61);
      let status: string;
      if (protocol === 'mqtt') {
        await client.put('/notes/filler.bin', body);
        status = (await client.put('/notes/kept.txt', body)).status;
        await notes.clients.http?.delete('/notes/filler.bin');
      } else if (protocol === 'smtp') {
        status = (await client.post('/notes/kept.txt', body)).status;
      } else {
        status = (await client.put('/notes/kept.txt', body)).status;
      }
      expect(status, notes.service.log.join('\n')).toBe('insufficient_storage');
      expect(await readdir(dataDir)).toEqual(['kept.txt']);
      expect(await readFile(join(dataDir, 'kept.txt'), 'utf8')).toBe('the old content');
      // The service keeps serving, and writes that fit succeed.
      if (protocol === 'smtp') {
        expect((await client.post('/notes/kept.txt', ', and more')).status).toBe('ok');
        // A mail's text ends with its line break.
        expect((await readFile(join(dataDir, 'kept.txt'), 'utf8')).trimEnd()).toBe(
          'the old content, and more',
        );
      } else {
        expect(await (await client.get('/notes/kept.txt')).body.text()).toBe('the old content');
        expect((await client.put('/notes/kept.txt', 'new content')).status).toBe('ok');
        expect(await readFile(join(dataDir, 'kept.txt'), 'utf8')).toBe('new content');
      }
      await notes.clients.http?.delete('/notes/kept.txt');
    },
  );
});
