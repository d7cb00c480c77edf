import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passwordTable } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable, runPeer } from './peers.js';
import { type Served, serve } from './serve.js';
import { TEST_TLS } from './tls-fixture.js';

const hasCurl = peerAvailable('curl');

describe.skipIf(!hasCurl)('interop: curl against the Parley FTP server', () => {
  let served: Served;
  let dir: string;
  let base: string;
  const user = ['--user', 'alice:secret', '-sS', '--max-time', '15'];

  beforeAll(async () => {
    served = await serve({ authenticate: passwordTable({ alice: 'secret' }), tls: TEST_TLS });
    base = `ftp://127.0.0.1:${served.port}`;
    dir = await mkdtemp(join(tmpdir(), 'parley-ftp-curl-'));
  });
  afterAll(async () => {
    await served.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs in, uploads with -T, downloads, lists and deletes with -Q', async () => {
    const source = join(dir, 'up.bin');
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
    await writeFile(source, bytes);
    expect((await runPeer('curl', [...user, '-T', source, `${base}/up.bin`])).code).toBe(0);
    expect(served.store.files.get('/up.bin')?.bytes.equals(bytes)).toBe(true);
    const target = join(dir, 'down.bin');
    expect((await runPeer('curl', [...user, '-o', target, `${base}/up.bin`])).code).toBe(0);
    expect((await readFile(target)).equals(bytes)).toBe(true);
    const list = await runPeer('curl', [...user, `${base}/`]);
    expect(list.stdout).toMatch(/^-rw-r--r-- 1 owner group +300000 .* up\.bin\r?\n$/);
    expect((await runPeer('curl', [...user, '--list-only', `${base}/`])).stdout).toMatch(/^up\.bin\r?\n$/);
    expect((await runPeer('curl', [...user, '-Q', 'DELE up.bin', `${base}/`])).code).toBe(0);
    expect(served.store.files.has('/up.bin')).toBe(false);
  });

  it('resumes a download with -C -', async () => {
    served.store.files.set('/resume.txt', { bytes: Buffer.from('0123456789abcdef'), modified: new Date() });
    const target = join(dir, 'resume.txt');
    await writeFile(target, '01234');
    expect((await runPeer('curl', [...user, '-C', '-', '-o', target, `${base}/resume.txt`])).code).toBe(0);
    expect(await readFile(target, 'utf8')).toBe('0123456789abcdef');
    expect(served.store.seen.at(-1)?.headers.get('range')).toBe('bytes=5-');
  });

  it('fails a refused login with curl exit code 67 (530)', async () => {
    const run = await runPeer('curl', ['--user', 'alice:wrong', '-sS', '--max-time', '15', `${base}/`]);
    expect(run.code).toBe(67);
    expect(run.stderr).toMatch(/530/);
  });

  it('uploads and downloads over explicit FTPS with --ssl-reqd', async () => {
    const source = join(dir, 'tls.txt');
    await writeFile(source, 'protected bytes');
    const tls = [...user, '--ssl-reqd', '-k'];
    expect((await runPeer('curl', [...tls, '-T', source, `${base}/tls.txt`])).code).toBe(0);
    expect(served.store.files.get('/tls.txt')?.bytes.toString()).toBe('protected bytes');
    const down = await runPeer('curl', [...tls, `${base}/tls.txt`]);
    expect(down.stdout).toBe('protected bytes');
  });
});
