import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { respond } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Nginx, requireNginx, startNginx } from '../../../test/support/nginx.js';
import { curl, curlFull, requireCurl } from './curl.js';
import { type Served, serve } from './helpers.js';

const LIMIT = 1024 * 1024;
const MESSAGE = `larger than the limit of ${LIMIT} bytes`;

const peers = requireCurl() && requireNginx();

describe.skipIf(!peers)('an upload over maxBodyBytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-http-upload-'));
  const big = join(dir, 'big.bin');
  let served: Served;
  let nginx: Nginx;
  let calls = 0;

  beforeAll(async () => {
    writeFileSync(big, Buffer.alloc(20 * 1024 * 1024, 7));
    served = await serve(
      async (request) => {
        calls++;
        return respond('ok', `${(await request.body.bytes()).byteLength}`);
      },
      { maxBodyBytes: LIMIT },
    );
    // `/` proxies with nginx's default request buffering (the whole body is read before it is
    // passed on); `/unbuffered/` streams the body through.
    const upstream = `http://127.0.0.1:${served.port}`;
    nginx = await startNginx(`
      client_max_body_size 0;
      location / { proxy_pass ${upstream}; proxy_http_version 1.1; }
      location /unbuffered/ { proxy_pass ${upstream}/; proxy_http_version 1.1; proxy_request_buffering off; }
    `);
  });
  afterAll(async () => {
    await nginx?.stop();
    await served?.server.close({ timeoutMs: 500 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets 413 and a readable message from curl, with and without Expect: 100-continue', async () => {
    const url = `${served.url}notes/big.bin`;
    expect(await curl(['-T', big, '-H', 'Expect:', url])).toEqual({
      code: 413,
      body: expect.stringContaining(MESSAGE),
    });
    const expecting = await curlFull(['-v', '-T', big, '-H', 'Expect: 100-continue', url]);
    expect(expecting.code).toBe(413);
    expect(expecting.body).toContain(MESSAGE);
    expect(expecting.stderr).not.toContain('HTTP/1.1 100');
    expect(calls).toBe(0);
  });

  it('still accepts a body within the limit with Expect: 100-continue', async () => {
    const small = join(dir, 'small.bin');
    writeFileSync(small, Buffer.alloc(LIMIT, 1));
    const result = await curlFull([
      '-v',
      '-T',
      small,
      '-H',
      'Expect: 100-continue',
      `${served.url}notes/small.bin`,
    ]);
    expect(result).toMatchObject({ code: 200, body: String(LIMIT) });
    expect(result.stderr).toContain('HTTP/1.1 100');
  });

  it('passes 413 through nginx, not 502, with request buffering on and off', async () => {
    for (const path of ['/notes/big.bin', '/unbuffered/notes/big.bin']) {
      for (const expect100 of ['Expect:', 'Expect: 100-continue']) {
        const result = await curlFull(['-T', big, '-H', expect100, `${nginx.url}${path}`]);
        expect({ path, expect100, ...result }).toEqual({
          path,
          expect100,
          code: 413,
          body: expect.stringContaining(MESSAGE),
          stderr: expect.any(String),
        });
      }
    }
  });
});
