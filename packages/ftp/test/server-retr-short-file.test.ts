import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body, type Handler, respond } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedInEach } from './logged-in.js';
import { openData, readAll } from './raw-ftp.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-ftp-short-file-'));
  // 10 bytes on disk where the answer announces 100: a file cut short while it is sent.
  writeFileSync(join(dir, 'cut.txt'), 'line\nline\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Files whose answer announces 100 bytes and whose body holds only 10. */
const shortFiles: Handler = async (request) => {
  if (request.path === '/disk.txt') {
    // What a folder store answers when the file shrinks between its stat and the last read.
    return respond('ok', Body.from(createReadStream(join(dir, 'cut.txt'), { end: 99 }), 100));
  }
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield Buffer.from('line\nline\n');
  }
  return respond('ok', Body.from(chunks(), 100), { 'content-length': '100' });
};

const start = loggedInEach();

describe('RETR of a file that ends before the length its answer announced', () => {
  for (const [name, type] of [
    ['disk.txt', 'I'],
    ['stream.txt', 'I'],
    ['disk.txt', 'A'],
    ['stream.txt', 'A'],
  ] as const) {
    it(`says so instead of 226 (${name}, TYPE ${type}), and the session goes on`, async () => {
      const { ftp } = await start({ handler: () => shortFiles });
      await ftp.expect(`TYPE ${type}`, 200);
      const data = readAll(await openData(await ftp.epsv()));
      const opened = await ftp.expect(`RETR ${name}`, 150);
      expect(opened.text).toContain('(100 bytes)');
      expect((await data).byteLength).toBe(type === 'I' ? 10 : 12);
      const reply = await ftp.read();
      expect(reply.code).toBe(451);
      expect(reply.text).toContain('10 of its 100 bytes');
      await ftp.expect('NOOP', 200);
    });
  }

  it('still answers 226 for a file sent whole', async () => {
    const whole: Handler = async () => respond('ok', Body.from(createReadStream(join(dir, 'cut.txt')), 10));
    const { ftp } = await start({ handler: () => whole });
    const data = readAll(await openData(await ftp.epsv()));
    await ftp.expect('RETR cut.txt', 150);
    expect((await data).toString()).toBe('line\nline\n');
    expect((await ftp.read()).code).toBe(226);
  });

  it('counts a REST offset as sent: 451 names the bytes the file really had', async () => {
    const { ftp } = await start({ handler: () => shortFiles });
    await ftp.expect('TYPE I', 200);
    const data = readAll(await openData(await ftp.epsv()));
    await ftp.expect('REST 4', 350);
    await ftp.expect('RETR disk.txt', 150);
    expect((await data).toString()).toBe('\nline\n');
    const reply = await ftp.read();
    expect(reply.code).toBe(451);
    expect(reply.text).toContain('10 of its 100 bytes');
  });
});
