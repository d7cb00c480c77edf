import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openData, RawFtp, readAll } from '../../ftp/test/raw-ftp.js';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-ftp-folders-'));
let server: Server;
let port: number;
let session: RawFtp;

beforeAll(async () => {
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'b.txt'), 'bee');
  server = createServer(folderService(root));
  const listener = await server.listen(ftp('ftp://127.0.0.1:0', { server: { anonymous: true } }));
  port = Number(new URL(listener.url).port);
  session = await RawFtp.connect(port);
  await session.login();
});
afterAll(async () => {
  session.close();
  await server.close({ timeoutMs: 1000 });
  rmSync(root, { recursive: true, force: true });
});

describe('parley serve over FTP: a folder named without its trailing slash', () => {
  it('RETR of a folder is 550, not its JSON listing sent as a file', async () => {
    const data = await openData(await session.epsv());
    const sent = readAll(data);
    const reply = await session.send('RETR sub');
    if (reply.code === 150) await Promise.all([sent, session.read()]);
    data.destroy();
    expect(reply.code).toBe(550);
    expect(reply.text).toMatch(/folder/i);
  });

  it('STAT of a folder lists what it holds', async () => {
    const reply = await session.send('STAT sub');
    expect(reply.code).toBe(213);
    expect(reply.text).toMatch(/ b\.txt/);
  });

  it('MLST of a folder says it is a folder, and of a file a file', async () => {
    expect((await session.send('MLST sub')).text).toMatch(/ type=dir;.* \/sub/);
    expect((await session.send('MLST sub/b.txt')).text).toMatch(/ type=file;size=3;.* \/sub\/b\.txt/);
  });

  it('a file is still sent, and a folder still renamed', async () => {
    const size = await session.send('SIZE sub/b.txt');
    expect(size.text).toBe('213 3');
    expect((await session.send('RNFR sub')).code).toBe(350);
  });
});
