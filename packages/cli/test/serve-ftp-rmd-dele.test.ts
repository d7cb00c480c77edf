import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawFtp } from '../../ftp/test/raw-ftp.js';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-ftp-rmd-dele-'));
let server: Server;
let session: RawFtp;

beforeAll(async () => {
  server = createServer(folderService(root, { write: true }));
  const listener = await server.listen(ftp('ftp://127.0.0.1:0', { server: { anonymous: true } }));
  session = await RawFtp.connect(Number(new URL(listener.url).port));
  await session.login();
});
afterAll(async () => {
  session.close();
  await server.close({ timeoutMs: 1000 });
  rmSync(root, { recursive: true, force: true });
});

describe('parley serve --write over FTP: RMD removes folders only, DELE files only', () => {
  it('RMD of a file is 550 and the file stays', async () => {
    writeFileSync(join(root, 'keep.txt'), 'precious');
    const reply = await session.send('RMD keep.txt');
    expect(reply.code).toBe(550);
    expect(reply.text).toMatch(/not a folder/i);
    expect(existsSync(join(root, 'keep.txt'))).toBe(true);
  });

  it('DELE of an empty folder is 550 and the folder stays', async () => {
    mkdirSync(join(root, 'empty'));
    const reply = await session.send('DELE empty');
    expect(reply.code).toBe(550);
    expect(reply.text).toMatch(/folder/i);
    expect(existsSync(join(root, 'empty'))).toBe(true);
  });

  it('RMD still removes an empty folder and DELE a file', async () => {
    mkdirSync(join(root, 'gone'));
    writeFileSync(join(root, 'gone.txt'), 'x');
    expect((await session.send('RMD gone')).code).toBe(250);
    expect((await session.send('DELE gone.txt')).code).toBe(250);
    expect(existsSync(join(root, 'gone'))).toBe(false);
    expect(existsSync(join(root, 'gone.txt'))).toBe(false);
  });
});
