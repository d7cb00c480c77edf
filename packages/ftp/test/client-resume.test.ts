import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, createServer, respond } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { available, type Pyftpdlib, startPyftpdlib } from './pyftpdlib.js';

/** Bytes that differ from offset to offset, so a part from the wrong place shows. */
const CONTENT = Buffer.from(Array.from({ length: 700_000 }, (_, i) => (i * 13 + (i >> 9)) & 0xff));

/** What a GET with `range` gives over the FTP client. */
async function getRange(url: string, path: string, range: string) {
  await using client = createClient(ftp(url), { retries: 0 });
  const response = await client.get(path, { headers: { range } });
  return {
    status: response.status,
    range: response.headers.get('content-range'),
    length: response.headers.get('content-length'),
    bytes: Buffer.from(await response.body.bytes()),
  };
}

/** The checks of a resumed RETR against a server holding CONTENT at `path`. */
function resumes(name: string, url: () => string, path: string): void {
  describe(`FTP client resumes with REST: ${name}`, () => {
    it('asks the rest of a file from an offset, and says which part it got', async () => {
      for (const offset of [1, 65_536, 699_999]) {
        const part = await getRange(url(), path, `bytes=${offset}-`);
        expect(part.status).toBe('ok');
        expect(part.range).toBe(`bytes ${offset}-699999/700000`);
        expect(part.length).toBe(String(700_000 - offset));
        expect(part.bytes.equals(CONTENT.subarray(offset)), `offset ${offset}`).toBe(true);
      }
    });

    it('answers an offset at or past the end as HTTP does, without a transfer', async () => {
      for (const offset of [700_000, 900_000]) {
        const past = await getRange(url(), path, `bytes=${offset}-`);
        expect(past.status).toBe('bad_request');
        expect(past.range).toBe('bytes */700000');
      }
    });

    it('gets the whole file for ranges FTP cannot ask (an end, a suffix, several)', async () => {
      for (const range of ['bytes=0-9', 'bytes=-5', 'bytes=1-,5-', 'bytes=0-']) {
        const whole = await getRange(url(), path, range);
        expect(whole.status, range).toBe('ok');
        expect(whole.range).toBeUndefined();
        expect(whole.bytes.equals(CONTENT), range).toBe(true);
      }
    });

    it('keeps the connection usable for the next request after a resumed one', async () => {
      await using client = createClient(ftp(url()), { retries: 0 });
      const part = await client.get(path, { headers: { range: 'bytes=699990-' } });
      expect(Buffer.from(await part.body.bytes()).equals(CONTENT.subarray(699_990))).toBe(true);
      const whole = await client.get(path);
      expect(Buffer.from(await whole.body.bytes()).equals(CONTENT)).toBe(true);
    });
  });
}

describe.skipIf(!available)('against pyftpdlib', () => {
  let server: Pyftpdlib;
  beforeAll(async () => {
    server = await startPyftpdlib();
    writeFileSync(join(server.root, 'file.bin'), CONTENT);
  });
  afterAll(() => server.stop());
  resumes('pyftpdlib', () => server.url, '/file.bin');
});

describe('against the Parley FTP server', () => {
  const service = createServer(async (request) =>
    request.method === 'HEAD'
      ? respond('ok', null, { 'content-length': String(CONTENT.byteLength) })
      : respond('ok', CONTENT),
  );
  let url = '';
  beforeAll(async () => {
    url = (await service.listen(ftp('ftp://demo:demo@127.0.0.1:0'))).url;
  });
  afterAll(() => service.close({ timeoutMs: 500 }));
  resumes('Parley', () => url, '/file.bin');
});
