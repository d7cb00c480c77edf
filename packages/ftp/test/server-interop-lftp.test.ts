import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passwordTable } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable, runPeer } from './peers.js';
import { type Served, serve } from './serve.js';
import { TEST_TLS } from './tls-fixture.js';

const hasLftp = peerAvailable('lftp');

describe.skipIf(!hasLftp)('interop: lftp against the Parley FTP server', () => {
  let served: Served;
  let dir: string;
  beforeAll(async () => {
    served = await serve({ authenticate: passwordTable({ alice: 'secret' }), tls: TEST_TLS });
    dir = await mkdtemp(join(tmpdir(), 'parley-ftp-lftp-'));
  });
  afterAll(async () => {
    await served.close();
    await rm(dir, { recursive: true, force: true });
  });

  const lftp = (settings: string, script: string) =>
    runPeer('lftp', [
      '-u',
      'alice,secret',
      '-p',
      String(served.port),
      '-e',
      `set net:max-retries 1; set net:timeout 10; ${settings}; ${script}; bye`,
      '127.0.0.1',
    ]);

  it.each([
    ['clear', 'set ftp:ssl-allow no'],
    ['FTPS', 'set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:verify-certificate no'],
  ])('puts, gets, lists and removes a file (%s)', async (mode, settings) => {
    const source = join(dir, `${mode}.bin`);
    const target = join(dir, `${mode}-back.bin`);
    const bytes = Buffer.alloc(200_000, mode.length);
    await writeFile(source, bytes);
    const run = await lftp(
      settings,
      `put ${source} -o remote.bin; get remote.bin -o ${target}; ls; rm remote.bin`,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await readFile(target)).equals(bytes)).toBe(true);
    expect(run.stdout).toMatch(/-rw-r--r-- 1 owner group +200000 .* remote\.bin/);
    expect(served.store.files.has('/remote.bin')).toBe(false);
    expect(served.store.seen.map((request) => request.method)).toEqual(
      expect.arrayContaining(['PUT', 'GET', 'DELETE']),
    );
  });
});
