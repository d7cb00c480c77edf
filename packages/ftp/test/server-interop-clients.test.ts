import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passwordTable } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable, runPeer } from './peers.js';
import { type Served, serve } from './serve.js';

const hasWget = peerAvailable('wget');
const hasNcftp = peerAvailable('ncftpget', ['-v'], true) && peerAvailable('ncftpput', ['-v'], true);
const hasTnftp = peerAvailable('tnftp', ['-?'], true);

let served: Served;
let dir: string;
let base: string;
const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251));

beforeAll(async () => {
  served = await serve({ authenticate: passwordTable({ alice: 'secret' }) });
  served.store.directories.add('/pub/');
  served.store.files.set('/pub/data.bin', { bytes, modified: new Date(Date.UTC(2024, 4, 6, 7, 8, 9)) });
  dir = await mkdtemp(join(tmpdir(), 'parley-ftp-clients-'));
  base = `ftp://alice:secret@127.0.0.1:${served.port}`;
});
afterAll(async () => {
  await served.close();
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasWget)('interop: wget against the Parley FTP server', () => {
  it('downloads a file over ftp://', async () => {
    const target = join(dir, 'wget.bin');
    const run = await runPeer('wget', [
      '-q',
      '-O',
      target,
      '--tries=1',
      '--timeout=10',
      `${base}/pub/data.bin`,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await readFile(target)).equals(bytes)).toBe(true);
  });

  it('resumes a partial download with -c (REST)', async () => {
    const target = join(dir, 'wget-partial.bin');
    await writeFile(target, bytes.subarray(0, 100_000));
    const run = await runPeer('wget', ['-q', '-c', '-O', target, '--tries=1', `${base}/pub/data.bin`]);
    expect(run.code).toBe(0);
    expect((await readFile(target)).equals(bytes)).toBe(true);
    const ranges = served.store.seen.filter((request) => request.headers.has('range'));
    expect(ranges.at(-1)?.headers.get('range')).toBe('bytes=100000-');
  });

  it('resuming past the end of the file (-c with a longer local file) gets 554, the local file kept', async () => {
    const target = join(dir, 'wget-longer.bin');
    const longer = Buffer.concat([bytes, Buffer.from('local tail')]);
    await writeFile(target, longer);
    const run = await runPeer('wget', ['-d', '-c', '-O', target, '--tries=1', `${base}/pub/data.bin`]);
    expect(run.stderr).toMatch(/^554 Invalid REST parameter: 300010 is past the end of the file/m);
    expect(run.stderr).not.toMatch(/^226/m);
    expect((await readFile(target)).equals(longer)).toBe(true);
  });
});

describe.skipIf(!hasNcftp)('interop: ncftpget and ncftpput against the Parley FTP server', () => {
  const login = () => ['-u', 'alice', '-p', 'secret', '-P', String(served.port), '-t', '10'];

  it('downloads with ncftpget', async () => {
    const into = await mkdtemp(join(dir, 'ncftpget-'));
    const run = await runPeer('ncftpget', [...login(), '127.0.0.1', into, '/pub/data.bin']);
    expect(run.code).toBe(0);
    expect((await readFile(join(into, 'data.bin'))).equals(bytes)).toBe(true);
  });

  it('uploads with ncftpput, whose MDTM <time> <file> gets 501', async () => {
    const source = join(dir, 'ncftp-up.bin');
    await writeFile(source, bytes);
    const run = await runPeer('ncftpput', [...login(), '-d', 'stdout', '127.0.0.1', '/pub', source]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Cmd: MDTM \d{14} ncftp-up\.bin\s+501: MDTM <time> <file>/);
    expect(served.store.files.get('/pub/ncftp-up.bin')?.bytes.equals(bytes)).toBe(true);
  });
});

describe.skipIf(!hasTnftp)('interop: tnftp against the Parley FTP server', () => {
  it('downloads with tnftp', async () => {
    const target = join(dir, 'tnftp.bin');
    const run = await runPeer('tnftp', ['-V', '-o', target, `${base}/pub/data.bin`]);
    expect(run.code).toBe(0);
    expect((await readFile(target)).equals(bytes)).toBe(true);
  });

  it('uploads with tnftp -u', async () => {
    const source = join(dir, 'tnftp-up.bin');
    await writeFile(source, bytes);
    const run = await runPeer('tnftp', ['-V', '-u', `${base}/pub/`, 'tnftp-up.bin'], 20_000, dir);
    expect(run.code).toBe(0);
    expect(served.store.files.get('/pub/tnftp-up.bin')?.bytes.equals(bytes)).toBe(true);
  });
});
